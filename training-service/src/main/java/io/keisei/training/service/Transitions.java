package io.keisei.training.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.api.SessionState;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.stream.LifecycleEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies state-machine transitions to a locked session row and writes the lifecycle events they
 * cause into the outbox, in the same transaction (so an event exists exactly when its transition was
 * committed, in the order of the row lock); {@link #publish} has the outbox relay send them right after
 * the commit (on its own thread: the call does not wait), and the relay's timer does if the process dies first.
 */
@ApplicationScoped
public class Transitions {

    static final Map<SessionState, EventType> EVENTS = Map.of(
            SessionState.CREATED, EventType.SESSION_CREATED,
            SessionState.QUEUED, EventType.SESSION_QUEUED,
            SessionState.STARTING, EventType.SESSION_STARTING,
            SessionState.PAUSING, EventType.SESSION_PAUSING,
            SessionState.PAUSED, EventType.SESSION_PAUSED,
            SessionState.STOPPING, EventType.SESSION_STOPPING,
            SessionState.STOPPED, EventType.SESSION_STOPPED,
            SessionState.COMPLETED, EventType.SESSION_COMPLETED,
            SessionState.FAILED, EventType.SESSION_FAILED);

    private final LifecycleEventPublisher publisher;

    public Transitions(LifecycleEventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Events produced inside a transaction (already in the outbox), to relay after it commits. */
    public static final class Pending {
        private final List<LifecycleEvent> events = new ArrayList<>();

        void add(LifecycleEvent e) {
            events.add(e);
        }
    }

    /** Moves a locked session to {@code to}, or answers 409 with its current state. */
    public void move(SessionEntity e, SessionState to, String reason, Pending pending) {
        SessionState from = SessionState.fromWire(e.state);
        if (!from.canMoveTo(to)) {
            throw ProblemException.conflict("session '" + e.id + "' is " + from.wire() + "; it cannot become " + to.wire(),
                    from.wire());
        }
        e.state = to.wire();
        e.stateReason = reason;
        e.updatedAt = Instant.now();
        EventType type = EVENTS.get(to);
        if (type != null) {
            LifecycleEvent event = LifecycleEvent.of(type, e.id, e.attemptCount == 0 ? null : e.attemptCount,
                    SessionService.SOURCE, to.wire(), reason);
            publisher.stage(event);
            pending.add(event);
        }
    }

    /** After the commit: asks the relay to send the transaction's events (and any others waiting) now, without waiting. */
    public void publish(Pending pending) {
        if (!pending.events.isEmpty()) {
            publisher.afterCommit();
        }
    }
}
