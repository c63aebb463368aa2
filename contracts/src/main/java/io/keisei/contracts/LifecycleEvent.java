package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A lifecycle event on {@link Streams#EVENTS}. Optional parts are present only for the event types
 * that need them: {@code checkpoint} for checkpoint.saved, {@code allocation} for allocation.*,
 * {@code reason} for failures, queueing and preemption, {@code evaluation} for evaluation.* and checkpoint.promoted.
 * An evaluation's events carry its session, or its own id when it belongs to none (as its allocation does).
 *
 * @param source  the producer: "training-service", "resource-service", "trainer"
 * @param state   the session state after the event, where the producer knows it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LifecycleEvent(@JsonProperty(required = true) int v, EventType type, String session, Integer attempt, @JsonProperty(required = true) long time, String source,
                             String state, String reason, CheckpointInfo checkpoint, AllocationInfo allocation,
                             EvaluationInfo evaluation)
        implements StreamMessage {

    public static final int VERSION = 1;

    public LifecycleEvent {
        Checks.version(VERSION, v);
        Checks.present("type", type);
        Checks.required("session", session);
        Checks.nonNegative("time", time);
        Checks.required("source", source);
        if (type == EventType.CHECKPOINT_SAVED || type == EventType.CHECKPOINT_PROMOTED) {
            Checks.present("checkpoint", checkpoint);
        }
        if (type.isEvaluation() || type == EventType.CHECKPOINT_PROMOTED) {
            Checks.present("evaluation", evaluation);
        }
        if (type.name().startsWith("ALLOCATION_")) {
            Checks.present("allocation", allocation);
        }
    }

    public static LifecycleEvent of(EventType type, String session, Integer attempt, String source, String state, String reason) {
        return new LifecycleEvent(VERSION, type, session, attempt, System.currentTimeMillis(), source, state, reason, null, null, null);
    }

    public static LifecycleEvent checkpointSaved(String session, int attempt, String source, CheckpointInfo checkpoint) {
        return new LifecycleEvent(VERSION, EventType.CHECKPOINT_SAVED, session, attempt, System.currentTimeMillis(), source,
                null, null, checkpoint, null, null);
    }

    public static LifecycleEvent allocation(EventType type, String session, String source, AllocationInfo allocation) {
        return new LifecycleEvent(VERSION, type, session, null, System.currentTimeMillis(), source, null,
                allocation.reason(), null, allocation, null);
    }

    /** An evaluation.* event; {@code reason} says why it failed or waits. */
    public static LifecycleEvent evaluation(EventType type, String source, String reason, EvaluationInfo evaluation) {
        return new LifecycleEvent(VERSION, type, evaluation.session() != null ? evaluation.session() : evaluation.id(), null,
                System.currentTimeMillis(), source, evaluation.state(), reason, null, null, evaluation);
    }

    /** Gating found {@code checkpoint} (a model of {@code session}) significantly stronger than the best so far. */
    public static LifecycleEvent checkpointPromoted(String session, String source, CheckpointInfo checkpoint,
                                                    EvaluationInfo evaluation, String reason) {
        return new LifecycleEvent(VERSION, EventType.CHECKPOINT_PROMOTED, session, null, System.currentTimeMillis(), source,
                null, reason, checkpoint, null, evaluation);
    }
}
