package io.keisei.training.service;

import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.stream.ControlPublisher;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Declares a trainer dead when its heartbeat key has been missing for the configured timeout
 * (a hung or partitioned trainer whose process still exists); the exit handler then fails the
 * session and releases its resources. A trainer that dies outright is caught sooner, by its exit.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    private static final Logger LOG = Logger.getLogger(HeartbeatMonitor.class);

    private final TrainerSupervisor supervisor;
    private final ControlPublisher control;
    private final TrainingServiceConfig config;
    private final Map<String, Long> missingSince = new ConcurrentHashMap<>();

    public HeartbeatMonitor(TrainerSupervisor supervisor, ControlPublisher control, TrainingServiceConfig config) {
        this.supervisor = supervisor;
        this.control = control;
        this.config = config;
    }

    @Scheduled(every = "${keisei.training.heartbeat-check:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        long now = System.nanoTime();
        missingSince.keySet().retainAll(supervisor.all().keySet());
        supervisor.all().forEach((session, w) -> {
            if (w.age().compareTo(config.startupGrace()) < 0) {
                return;
            }
            boolean alive;
            try {
                alive = control.heartbeatAlive(session);
            } catch (RuntimeException e) {
                return; // Redis itself is unreachable: that says nothing about the trainer.
            }
            if (alive) {
                missingSince.remove(session);
                return;
            }
            long since = missingSince.computeIfAbsent(session, s -> now);
            if (now - since >= config.heartbeatTimeout().toNanos()) {
                LOG.warnf("session %s: no heartbeat for %s; killing its trainer", session, config.heartbeatTimeout());
                missingSince.remove(session);
                supervisor.kill(session, "heartbeat lost for " + config.heartbeatTimeout().toSeconds() + "s");
            }
        });
    }
}
