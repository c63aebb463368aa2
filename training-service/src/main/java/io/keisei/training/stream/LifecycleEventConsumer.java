package io.keisei.training.stream;

import io.keisei.common.stream.ConsumerConfig;
import io.keisei.common.stream.GroupConsumer;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.service.CheckpointRegistry;
import io.keisei.training.service.EvaluationService;
import io.keisei.training.service.SessionLifecycle;
import io.keisei.training.service.SessionService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * What training-service learns from keisei:events (group "training-service"): trainers that
 * started or completed, checkpoints they saved, allocations granted to queued sessions, and
 * allocations resource-service preempted (their sessions pause).
 */
@ApplicationScoped
public class LifecycleEventConsumer {

    public static final String GROUP = "training-service";
    private static final Logger LOG = Logger.getLogger(LifecycleEventConsumer.class);

    private final RedisDataSource redis;
    private final MeterRegistry registry;
    private final SessionLifecycle lifecycle;
    private final CheckpointRegistry checkpoints;
    private final EvaluationService evaluations;
    private final TrainingServiceConfig.Events config;
    private GroupConsumer<LifecycleEvent> consumer;

    public LifecycleEventConsumer(RedisDataSource redis, MeterRegistry registry, SessionLifecycle lifecycle,
                                 CheckpointRegistry checkpoints, EvaluationService evaluations, TrainingServiceConfig config) {
        this.evaluations = evaluations;
        this.redis = redis;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.checkpoints = checkpoints;
        this.config = config.events();
    }

    public synchronized void start() {
        if (consumer != null) {
            return;
        }
        consumer = new GroupConsumer<>(redis, registry, Streams.EVENTS, GROUP, ConsumerConfig.nameOf(config),
                LifecycleEvent.class, ConsumerConfig.settingsOf(config), this::handle);
        consumer.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (consumer != null) {
            consumer.close();
        }
    }

    private void handle(List<GroupConsumer.Received<LifecycleEvent>> batch) {
        for (GroupConsumer.Received<LifecycleEvent> r : batch) {
            LifecycleEvent e = r.message();
            if (SessionService.SOURCE.equals(e.source())) {
                continue;
            }
            try {
                handle(e);
            } catch (RuntimeException ex) {
                // One bad event must not block the others; the state machine tolerates missing events.
                LOG.warnf(ex, "could not apply %s of session %s", e.type().wire(), e.session());
            }
        }
    }

    private void handle(LifecycleEvent e) {
        switch (e.type()) {
            case SESSION_STARTED -> {
                if (e.attempt() != null) {
                    lifecycle.trainerStarted(e.session(), e.attempt());
                }
            }
            case CHECKPOINT_SAVED -> checkpoints.register(e.session(), e.attempt() == null ? 0 : e.attempt(), e.checkpoint());
            case SESSION_COMPLETED -> {
                if (e.attempt() != null) {
                    QuarkusTransaction.requiringNew().run(() -> {
                        AttemptEntity a = AttemptEntity.find(e.session(), e.attempt());
                        if (a != null) {
                            a.reason = "completed";
                        }
                    });
                }
            }
            case ALLOCATION_GRANTED -> launchOnGrant(e);
            case ALLOCATION_QUEUED -> {
                if (e.allocation().kueueQueue() != null) {
                    // Handed to Kueue (once its owner's quota allowed): its Job is created now, suspended, for Kueue to admit.
                    launchOnGrant(e);
                    return;
                }
                // Queued again after a grant (cluster mode: the grant's node was taken before the pod got there).
                if (e.session().startsWith(EvaluationService.ID_PREFIX)) {
                    evaluations.requeued(e.session(), e.allocation().allocationId(), e.reason());
                } else {
                    lifecycle.requeued(e.session(), e.allocation().allocationId(), e.reason());
                }
            }
            case ALLOCATION_PREEMPTED -> {
                if (e.session().startsWith(EvaluationService.ID_PREFIX)) {
                    evaluations.preempted(e.session(), e.allocation().allocationId(), e.reason());
                } else {
                    lifecycle.preempted(e.session(), e.allocation().allocationId(), e.reason());
                }
            }
            default -> {
                // other events are for other services
            }
        }
    }

    /** Launches the trainer or match an allocation was granted to (or handed to Kueue for); a repeat changes nothing. */
    private void launchOnGrant(LifecycleEvent e) {
        AttemptEntity a = QuarkusTransaction.requiringNew().call(() ->
                AttemptEntity.<AttemptEntity>find("allocationId", e.allocation().allocationId()).firstResult());
        if (a != null) {
            lifecycle.launch(a.sessionId, a.attempt, e.allocation());
        } else if (e.session() != null && e.session().startsWith(EvaluationService.ID_PREFIX)) {
            evaluations.launch(e.session(), e.allocation());
        }
    }
}
