package io.keisei.gateway.hub;

import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.gateway.auth.Permission;

import java.util.ArrayList;
import java.util.List;

/**
 * The hub's topics: which names are topics, what a subscriber needs, and which stream records reach each topic.
 * Live delivery ({@link Hub}) and replay ({@link Replay}) both ask here, so a reconnecting client gets exactly what
 * it would have got live.
 */
final class Topics {

    private Topics() {
    }

    static boolean valid(String topic) {
        if (topic == null) {
            return false;
        }
        if (Hub.SESSIONS_TOPIC.equals(topic) || Hub.SYSTEM_TOPIC.equals(topic) || Hub.EVALUATIONS_TOPIC.equals(topic)) {
            return true;
        }
        String id = sessionOf(topic);
        if (id == null) {
            id = evaluationOf(topic);
        }
        return id != null && SessionCheck.validId(id);
    }

    /** The session of a {@code session:<id>} topic, else null. */
    static String sessionOf(String topic) {
        return topic.startsWith(Hub.SESSION_TOPIC_PREFIX) ? topic.substring(Hub.SESSION_TOPIC_PREFIX.length()) : null;
    }

    /** The evaluation of an {@code evaluation:<id>} topic, else null. */
    static String evaluationOf(String topic) {
        return topic.startsWith(Hub.EVALUATION_TOPIC_PREFIX) ? topic.substring(Hub.EVALUATION_TOPIC_PREFIX.length()) : null;
    }

    /** Evaluations are read by whoever may read models (viewers included); training's topics by whoever may monitor. */
    static Permission permission(String topic) {
        return Hub.EVALUATIONS_TOPIC.equals(topic) || evaluationOf(topic) != null ? Permission.MODELS_READ
                : Permission.TRAINING_MONITOR;
    }

    /** The streams a topic's replay reads. */
    static List<String> replayStreams(String topic) {
        if (sessionOf(topic) != null) {
            return List.of(Streams.METRICS, Streams.GAMES, Streams.EVENTS);
        }
        if (evaluationOf(topic) != null) {
            return List.of(Streams.GAMES, Streams.EVENTS);
        }
        return Hub.SESSIONS_TOPIC.equals(topic) || Hub.EVALUATIONS_TOPIC.equals(topic) ? List.of(Streams.EVENTS) : List.of();
    }

    /**
     * The topics a lifecycle event goes to. A session's events: its topic and {@code sessions}. An evaluation's events
     * (evaluation.*, checkpoint.promoted): {@code evaluations}, the evaluation's topic and, when it has a session, that
     * session's topic; not {@code sessions}, whose readers take every event there for a session's. An evaluation's
     * allocation events: {@code sessions} (where the queue's readers watch allocations) and the evaluation's topic.
     */
    static List<String> ofEvent(LifecycleEvent e) {
        List<String> out = new ArrayList<>(3);
        String session = EvaluationIds.sessionOf(e);
        String evaluation = EvaluationIds.ofEvent(e);
        if (EvaluationIds.isEvaluationEvent(e)) {
            out.add(Hub.EVALUATIONS_TOPIC);
        } else {
            out.add(Hub.SESSIONS_TOPIC);
        }
        if (evaluation != null) {
            out.add(Hub.EVALUATION_TOPIC_PREFIX + evaluation);
        }
        if (session != null) {
            out.add(Hub.SESSION_TOPIC_PREFIX + session);
        }
        return out;
    }

    /** A game goes to its session's topic and, for an evaluation's game, to the evaluation's topic. */
    static List<String> ofGame(GameState g) {
        List<String> out = new ArrayList<>(2);
        if (g.session() != null && !EvaluationIds.isEvaluation(g.session())) {
            out.add(Hub.SESSION_TOPIC_PREFIX + g.session());
        }
        String evaluation = EvaluationIds.ofGame(g.gameId());
        if (evaluation != null) {
            out.add(Hub.EVALUATION_TOPIC_PREFIX + evaluation);
        }
        return out;
    }

    /** The topics a record reaches (metrics: their session's and {@code sessions}; system samples: {@code system}). */
    static List<String> of(StreamMessage m) {
        if (m instanceof LifecycleEvent e) {
            return ofEvent(e);
        }
        if (m instanceof GameState g) {
            return ofGame(g);
        }
        if (m instanceof MetricUpdate u) {
            return List.of(Hub.SESSION_TOPIC_PREFIX + u.session(), Hub.SESSIONS_TOPIC);
        }
        return List.of(Hub.SYSTEM_TOPIC);
    }
}
