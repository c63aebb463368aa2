package io.keisei.training.service;

import io.keisei.contracts.api.SessionState;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.SessionEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * A stop or pause may arrive at any replica: that replica moves the session to stopping or pausing and tells the
 * trainer over its control stream, but only the owner can kill a trainer that ignores it. So the owner looks, every
 * few seconds, for its sessions that have been stopping or pausing for longer than the grace period (the same rule
 * holds after a takeover: the new owner enforces a grace period that began under the old one), and kills their
 * trainers; the exit handler then settles the state. It also ends the evaluation matches it runs that were cancelled
 * or preempted through another replica.
 */
@ApplicationScoped
public class StopGraceEnforcer {

    private static final Logger LOG = Logger.getLogger(StopGraceEnforcer.class);

    private final TrainerSupervisor supervisor;
    private final SessionLifecycle lifecycle;
    private final EvaluationService evaluations;
    private final ReplicaLease replica;
    private final TrainingServiceConfig config;

    public StopGraceEnforcer(TrainerSupervisor supervisor, SessionLifecycle lifecycle, EvaluationService evaluations,
                             ReplicaLease replica, TrainingServiceConfig config) {
        this.supervisor = supervisor;
        this.lifecycle = lifecycle;
        this.evaluations = evaluations;
        this.replica = replica;
        this.config = config;
    }

    @Scheduled(every = "${keisei.training.heartbeat-check:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void enforce() {
        String me = replica.id();
        if (me == null || !replica.held() || supervisor.all().isEmpty()) {
            return;
        }
        Instant before = Instant.now().minus(config.stopGrace());
        List<SessionEntity> overdue = QuarkusTransaction.requiringNew().call(() -> SessionEntity.list(
                "ownerReplica = ?1 and state in ?2 and updatedAt < ?3", me,
                List.of(SessionState.STOPPING.wire(), SessionState.PAUSING.wire()), before));
        for (SessionEntity s : overdue) {
            supervisor.get(s.id).filter(w -> w.attempt() == s.attemptCount && w.epoch() == s.ownerEpoch).ifPresent(w -> {
                LOG.warnf("session %s: %s for longer than %s; killing its trainer", s.id, s.state, config.stopGrace());
                supervisor.kill(s.id, lifecycle.graceKillReason(SessionState.STOPPING.wire().equals(s.state)));
            });
        }
    }

    @Scheduled(every = "${keisei.training.heartbeat-check:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void endAbandonedMatches() {
        if (replica.held()) {
            evaluations.stopAbandonedMatches();
        }
    }
}
