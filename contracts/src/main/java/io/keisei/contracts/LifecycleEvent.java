package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A lifecycle event on {@link Streams#EVENTS}. Optional parts are present only for the event types
 * that need them: {@code checkpoint} for checkpoint.saved, {@code allocation} for allocation.*,
 * {@code reason} for failures, queueing and preemption.
 *
 * @param source  the producer: "training-service", "resource-service", "trainer"
 * @param state   the session state after the event, where the producer knows it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(@JsonProperty(required = true) int v, EventType type, String session, Integer attempt, @JsonProperty(required = true) long time, String source,
                             String state, String reason, CheckpointInfo checkpoint, AllocationInfo allocation)
        implements StreamMessage {

    public static final int VERSION = 1;

    public LifecycleEvent {
        Checks.version(VERSION, v);
        Checks.present("type", type);
        Checks.required("session", session);
        Checks.nonNegative("time", time);
        Checks.required("source", source);
        if (type == EventType.CHECKPOINT_SAVED) {
            Checks.present("checkpoint", checkpoint);
        }
        if (type.name().startsWith("ALLOCATION_")) {
            Checks.present("allocation", allocation);
        }
    }

    public static LifecycleEvent of(EventType type, String session, Integer attempt, String source, String state, String reason) {
        return new LifecycleEvent(VERSION, type, session, attempt, System.currentTimeMillis(), source, state, reason, null, null);
    }

    public static LifecycleEvent checkpointSaved(String session, int attempt, String source, CheckpointInfo checkpoint) {
        return new LifecycleEvent(VERSION, EventType.CHECKPOINT_SAVED, session, attempt, System.currentTimeMillis(), source,
                null, null, checkpoint, null);
    }

    public static LifecycleEvent allocation(EventType type, String session, String source, AllocationInfo allocation) {
        return new LifecycleEvent(VERSION, type, session, null, System.currentTimeMillis(), source, null,
                allocation.reason(), null, allocation);
    }
}
