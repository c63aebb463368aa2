package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A game in a session's list of recent games: its latest state without moves and positions. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "GameSummary", description = "A self-play game's latest state, without its moves and positions.")
public record GameSummary(
        @Schema(required = true) String gameId,
        @Schema(required = true) String session,
        Instant startedAt,
        Instant updatedAt,
        @Schema(description = "moves played") int ply,
        @Schema(description = "null while the game runs") String result,
        @Schema(description = "USI") String lastMove,
        @Schema(description = "black or white") String sideToMove) {
}
