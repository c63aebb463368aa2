package io.keisei.training.service;

import io.keisei.contracts.api.SessionState;
import io.keisei.training.launcher.TrainerHandle;
import io.keisei.training.launcher.TrainerLauncher;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.stream.LifecycleEventConsumer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * At start-up, before consuming events: sessions that were live when the service stopped are
 * re-attached to their trainer if it still runs, otherwise failed with their resources released.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final TrainerLauncher launcher;
    private final TrainerSupervisor supervisor;
    private final SessionLifecycle lifecycle;
    private final LifecycleEventConsumer events;

    public Reconciler(TrainerLauncher launcher, TrainerSupervisor supervisor, SessionLifecycle lifecycle,
                      LifecycleEventConsumer events) {
        this.launcher = launcher;
        this.supervisor = supervisor;
        this.lifecycle = lifecycle;
        this.events = events;
    }

    void onStart(@Observes StartupEvent ev) {
        reconcile();
        events.start();
    }

    /** Re-attaches or fails every session that a trainer should be serving. */
    public void reconcile() {
        record Live(String id, int attemptCount, AttemptEntity attempt) {
        }
        List<Live> live = QuarkusTransaction.requiringNew().call(() -> SessionEntity.<SessionEntity>list("state in ?1",
                        List.of(SessionState.STARTING.wire(), SessionState.RUNNING.wire(), SessionState.PAUSING.wire(),
                                SessionState.STOPPING.wire()))
                .stream().map(s -> new Live(s.id, s.attemptCount, AttemptEntity.find(s.id, s.attemptCount))).toList());
        for (Live s : live) {
            AttemptEntity a = s.attempt();
            Optional<TrainerHandle> handle = a == null ? Optional.empty() : launcher.reattach(a.handle, s.id(), a.attempt);
            if (handle.isPresent()) {
                LOG.infof("re-attached to the trainer of session %s attempt %d (%s)", s.id(), a.attempt, a.handle);
                supervisor.watch(s.id(), a.attempt, handle.get(), lifecycle::onExit);
            } else {
                lifecycle.fail(s.id(), s.attemptCount(), "trainer was gone when training-service restarted", null);
            }
        }
    }
}
