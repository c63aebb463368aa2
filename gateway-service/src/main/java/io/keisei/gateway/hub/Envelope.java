package io.keisei.gateway.hub;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.SystemStatus;

/**
 * One server → client message (docs/websocket-protocol.md). {@code id} is the Redis stream id of the newest record
 * folded in: the client's resume cursor. {@code stream} says which stream that id belongs to (not sent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(String type, String topic, String session, String id, long ts, Object data,
                       @JsonIgnore String stream, @JsonIgnore long producedAt) {

    public static final String TRAINING_UPDATE = "training_update";
    public static final String GAME_STATE = "game_state";
    public static final String SYSTEM_STATUS = "system_status";
    public static final String SESSION_EVENT = "session_event";
    public static final String ALLOCATION_EVENT = "allocation_event";
    /** evaluation.* and checkpoint.promoted: a type of their own, so that no reader of session events mistakes them. */
    public static final String EVALUATION_EVENT = "evaluation_event";

    public Envelope withTopic(String newTopic) {
        return new Envelope(type, newTopic, session, id, ts, data, stream, producedAt);
    }

    /** Events must all arrive; the other types may be replaced by a newer one of the same kind (conflation). */
    @JsonIgnore
    public boolean isEvent() {
        return SESSION_EVENT.equals(type) || ALLOCATION_EVENT.equals(type) || EVALUATION_EVENT.equals(type);
    }

    /** The envelope type of a lifecycle event. */
    static String typeOf(LifecycleEvent e) {
        if (EvaluationIds.isEvaluationEvent(e)) {
            return EVALUATION_EVENT;
        }
        return e.type().wire().startsWith("allocation.") ? ALLOCATION_EVENT : SESSION_EVENT;
    }

    /** An event's envelope; {@code session} is the session it is about, absent for an evaluation of no session. */
    static Envelope event(String topic, String id, long now, LifecycleEvent e, long producedAt) {
        return new Envelope(typeOf(e), topic, EvaluationIds.sessionOf(e), id, now, e, io.keisei.contracts.Streams.EVENTS, producedAt);
    }

    /** The conflation key: a newer message with the same key supersedes an unsent older one. */
    @JsonIgnore
    public String conflationKey() {
        // System samples are per node (a cluster has many): a newer one replaces only its own node's.
        String scope = data instanceof SystemStatus s ? s.node() : session;
        return topic + '|' + type + '|' + scope;
    }
}
