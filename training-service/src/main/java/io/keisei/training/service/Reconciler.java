package io.keisei.training.service;

import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.Ownership;
import io.keisei.training.persistence.Ownership.Claim;
import io.keisei.training.persistence.Ownership.Owned;
import io.keisei.training.stream.LifecycleEventConsumer;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Takes over the sessions (and evaluations) that no live replica supervises, and supervises them: at start-up,
 * before consuming events, and then every {@code keisei.training.replicas.takeover-every} for those whose owner's
 * lease expired (a replica that died, or was cut off). Each is taken in its own transaction with the next ownership
 * epoch, then its trainer re-attached by its stored handle, or the attempt failed when it is gone
 * (docs/training-orchestrator.md#replicas-leases-and-fencing).
 *
 * <p>With process trainers there is exactly one replica, on the trainers' host: at start-up it takes every live
 * session whoever owned it, because its previous incarnation (killed without releasing its lease) is certainly gone
 * and waiting for that lease to expire would leave the trainers unwatched for nothing.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final ReplicaLease replica;
    private final Ownership ownership;
    private final TrainerSupervisor supervisor;
    private final SessionLifecycle lifecycle;
    private final EvaluationService evaluations;
    private final LifecycleEventConsumer events;
    private final boolean alone;
    private volatile boolean started;

    public Reconciler(ReplicaLease replica, Ownership ownership, TrainerSupervisor supervisor, SessionLifecycle lifecycle,
                      EvaluationService evaluations, LifecycleEventConsumer events, TrainingServiceConfig config) {
        this.replica = replica;
        this.ownership = ownership;
        this.supervisor = supervisor;
        this.lifecycle = lifecycle;
        this.evaluations = evaluations;
        this.events = events;
        this.alone = "process".equals(config.launcher());
    }

    void onStart(@Observes StartupEvent ev) {
        replica.onLoss(former -> {
            supervisor.dropAll();
            evaluations.dropAll();
        });
        reconcile();
        started = true;
        events.start();
    }

    /** Registers this replica if needed, then takes over and supervises every live session nobody else may supervise. */
    public void reconcile() {
        replica.start();
        takeOver(alone);
    }

    @Scheduled(every = "${keisei.training.replicas.takeover-every:5s}", delayed = "${keisei.training.replicas.takeover-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scan() {
        if (started && replica.held()) {
            takeOver(false);
        }
    }

    private synchronized void takeOver(boolean everything) {
        String me = replica.id();
        if (me == null) {
            return;
        }
        List<Claim> sessions;
        List<Claim> matches;
        try {
            sessions = everything ? ownership.takeAll(Owned.SESSIONS, me) : ownership.takeOrphans(Owned.SESSIONS, me);
            matches = everything ? ownership.takeAll(Owned.EVALUATIONS, me) : ownership.takeOrphans(Owned.EVALUATIONS, me);
        } catch (Exception e) {
            LOG.warnf("replica %s: takeover scan failed (%s); next scan retries", me, e.getMessage());
            return;
        }
        for (Claim c : sessions) {
            LOG.infof("replica %s: took over session %s (epoch %d)", me, c.id(), c.epoch());
            try {
                lifecycle.adopt(c.id(), c.epoch());
            } catch (RuntimeException e) {
                LOG.errorf(e, "session %s: taken over but not re-attached", c.id());
            }
        }
        for (Claim c : matches) {
            LOG.infof("replica %s: took over evaluation %s (epoch %d)", me, c.id(), c.epoch());
            try {
                evaluations.adopt(c.id(), c.epoch());
            } catch (RuntimeException e) {
                LOG.errorf(e, "evaluation %s: taken over but not re-attached", c.id());
            }
        }
    }
}
