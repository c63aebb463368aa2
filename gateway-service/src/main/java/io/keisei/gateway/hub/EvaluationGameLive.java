package io.keisei.gateway.hub;

import io.keisei.contracts.GameState;

/**
 * The game an evaluation is playing now, as this replica last read it, and when it was last pushed to the
 * evaluation's topic: its games are throttled there like a session's (latest wins), apart from the session's own
 * self-play games so that neither hides the other. All access is synchronized on the instance.
 */
final class EvaluationGameLive {

    final String evaluation;
    GameState game;
    String gameId;
    long lastPush;
    boolean pending;
    /** When the last game state arrived (ms): a slot that hears nothing for long is dropped. */
    long touchedAt;

    EvaluationGameLive(String evaluation) {
        this.evaluation = evaluation;
    }

    synchronized void apply(String streamId, GameState g) {
        game = g;
        gameId = streamId;
        pending = true;
        touchedAt = System.currentTimeMillis();
    }
}
