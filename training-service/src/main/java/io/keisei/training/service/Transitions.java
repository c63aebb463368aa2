package io.keisei.training.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.api.SessionState;
import io.keisei.training.persistence.SessionEntity;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies state-machine transitions to a locked session row and collects the lifecycle events
 * they cause; the events are published only after the transaction commits.
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

    private final StreamPublisher publisher;

    public Transitions(StreamPublisher publisher) {
        this.publisher = publisher;
    }

    /** Events produced inside a transaction, to publish after it commits. */
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
            pending.add(LifecycleEvent.of(type, e.id, e.attemptCount == 0 ? null : e.attemptCount, SessionService.SOURCE,
                    to.wire(), reason));
        }
    }

    public void publish(Pending pending) {
        for (LifecycleEvent e : pending.events) {
            publisher.publish(Streams.EVENTS, e, Streams.EVENTS_MAXLEN);
        }
    }
}
