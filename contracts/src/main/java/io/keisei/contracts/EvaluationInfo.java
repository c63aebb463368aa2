package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An evaluation as carried by {@code evaluation.*} events on {@link Streams#EVENTS}: the match, where it stands and
 * its score so far. The full record is {@code GET /api/v1/evaluations/{id}}.
 *
 * @param session the session it is filed under; null for a match of fixed players only
 * @param state   queued, running, completed, failed or cancelled
 * @param gate    the checkpoint this evaluation gates (the challenger), when automatic gating filed it; else null
 */
public record EvaluationInfo(String id, String session, String playerA, String playerB,
                             @JsonProperty(required = true) int games, String state,
                             @JsonProperty(required = true) int aWins, @JsonProperty(required = true) int draws,
                             @JsonProperty(required = true) int bWins, String gate) {

    public EvaluationInfo {
        Checks.required("evaluation.id", id);
        Checks.required("evaluation.playerA", playerA);
        Checks.required("evaluation.playerB", playerB);
        Checks.required("evaluation.state", state);
        Checks.nonNegative("evaluation.games", (long) games);
        Checks.nonNegative("evaluation.aWins", (long) aWins);
        Checks.nonNegative("evaluation.draws", (long) draws);
        Checks.nonNegative("evaluation.bWins", (long) bWins);
    }
}
