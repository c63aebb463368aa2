package io.keisei.gateway.hub;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;

/**
 * How the hub tells an evaluation's records from a session's. An evaluation's allocation, and the events of an
 * evaluation filed under no session, carry the evaluation id where a session id would be; and its games are
 * published with game ids {@code eval:<evaluation>:<index>}. training-service names evaluations {@code eval-<uuid>}
 * and sessions by bare UUIDs, so the prefix alone tells them apart.
 */
final class EvaluationIds {

    /** training-service's prefix of evaluation ids (EvaluationService.ID_PREFIX). */
    static final String PREFIX = "eval-";
    /** The trainer's prefix of evaluation game ids (MatchCommand.GAME_ID_PREFIX). */
    static final String GAME_PREFIX = "eval:";

    private EvaluationIds() {
    }

    static boolean isEvaluation(String id) {
        return id != null && id.startsWith(PREFIX);
    }

    /** The evaluation a game belongs to, or null for a self-play game. */
    static String ofGame(String gameId) {
        if (gameId == null || !gameId.startsWith(GAME_PREFIX)) {
            return null;
        }
        int end = gameId.lastIndexOf(':');
        return end <= GAME_PREFIX.length() ? null : gameId.substring(GAME_PREFIX.length(), end);
    }

    /** True for the events about an evaluation: evaluation.* and the checkpoint.promoted its gating decided. */
    static boolean isEvaluationEvent(LifecycleEvent e) {
        return e.evaluation() != null && (e.type().isEvaluation() || e.type() == EventType.CHECKPOINT_PROMOTED);
    }

    /** The evaluation an event is about (its own event, or its allocation's), or null. */
    static String ofEvent(LifecycleEvent e) {
        if (isEvaluationEvent(e)) {
            return e.evaluation().id();
        }
        return isEvaluation(e.session()) ? e.session() : null;
    }

    /** The session an event is about, or null when its {@code session} field holds an evaluation id. */
    static String sessionOf(LifecycleEvent e) {
        if (isEvaluationEvent(e)) {
            return e.type() == EventType.CHECKPOINT_PROMOTED ? e.session() : e.evaluation().session();
        }
        return isEvaluation(e.session()) ? null : e.session();
    }

    /** Whether an evaluation has ended (no more games or events will come for it). */
    static boolean ends(EventType t) {
        return t == EventType.EVALUATION_COMPLETED || t == EventType.EVALUATION_FAILED || t == EventType.EVALUATION_CANCELLED;
    }
}
