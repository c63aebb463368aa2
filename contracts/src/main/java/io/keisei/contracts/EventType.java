package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Kinds of lifecycle events on {@link Streams#EVENTS}; the wire form is the dotted lower-case name. */
public enum EventType {
    SESSION_CREATED("session.created"),
    SESSION_QUEUED("session.queued"),
    SESSION_STARTING("session.starting"),
    SESSION_STARTED("session.started"),
    SESSION_PAUSING("session.pausing"),
    SESSION_PAUSED("session.paused"),
    SESSION_STOPPING("session.stopping"),
    SESSION_STOPPED("session.stopped"),
    SESSION_COMPLETED("session.completed"),
    SESSION_FAILED("session.failed"),
    SESSION_DELETED("session.deleted"),
    CHECKPOINT_SAVED("checkpoint.saved"),
    ALLOCATION_GRANTED("allocation.granted"),
    ALLOCATION_QUEUED("allocation.queued"),
    ALLOCATION_RELEASED("allocation.released"),
    ALLOCATION_PREEMPTED("allocation.preempted"),
    EVALUATION_QUEUED("evaluation.queued"),
    EVALUATION_STARTED("evaluation.started"),
    EVALUATION_COMPLETED("evaluation.completed"),
    EVALUATION_FAILED("evaluation.failed"),
    EVALUATION_CANCELLED("evaluation.cancelled"),
    /** Gating promoted a checkpoint to its session's best ({@code checkpoint} and {@code evaluation} present). */
    CHECKPOINT_PROMOTED("checkpoint.promoted");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static EventType fromWire(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        throw new MessageFormatException(MessageFormatException.Kind.UNKNOWN_TYPE, "unknown event type '" + wire + "'");
    }

    /** True for evaluation.* (their {@code session} is the evaluation's session, or the evaluation id when it has none). */
    public boolean isEvaluation() {
        return name().startsWith("EVALUATION_");
    }

    /** True for the events after which a session holds no resources any more. */
    public boolean endsAttempt() {
        return this == SESSION_PAUSED || this == SESSION_STOPPED || this == SESSION_COMPLETED || this == SESSION_FAILED;
    }
}
