package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** One game of an evaluation, with every move: enough to replay it ply by ply. */
@Schema(name = "EvaluationGame", description = "One game of an evaluation with its moves in USI, from its start position.")
public record EvaluationGame(
        @Schema(required = true) String evaluation,
        int index,
        @Schema(required = true, description = "the player that had black (moved first)") String black,
        @Schema(required = true) String white,
        @Schema(required = true, enumeration = {"black_win", "white_win", "draw"}) String result,
        @Schema(required = true, description = "checkmate, resignation, sennichite, perpetual_check, impasse, max_moves, ...")
        String reason,
        int plies,
        @Schema(required = true) String startSfen,
        @Schema(required = true, description = "the moves in USI") List<String> moves) {
}
