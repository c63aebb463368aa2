package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What POST /evaluations takes: two players and how many games. */
@Schema(name = "NewEvaluation", description = "A match to play: two players, the number of games (colours alternate), "
        + "a seed (the same seed and players play the same games) and a priority for the queue.")
public record NewEvaluation(
        @Schema(required = true, description = "a model id, \"random\" or \"baseline:<depth>\" (1-4)") String playerA,
        @Schema(required = true, description = "a model id, \"random\" or \"baseline:<depth>\" (1-4)") String playerB,
        @Schema(description = "games to play, 1-" + EvaluationRules.MAX_GAMES + " (default " + EvaluationRules.DEFAULT_GAMES + ")")
        Integer games,
        @Schema(description = "seed of the match (default: chosen at random and reported)") Long seed,
        @Schema(description = "queue priority, -1000..1000 (default " + EvaluationRules.DEFAULT_PRIORITY
                + ": below training, whose default is 0)") Integer priority,
        @Schema(description = "the session it is filed under (default: player A's session, when A is a model)")
        String session,
        @Schema(description = "owner id (default: the caller's)") String owner,
        @Schema(description = "the owner's role, for quotas (set by the gateway from the caller's token)") String ownerRole) {
}
