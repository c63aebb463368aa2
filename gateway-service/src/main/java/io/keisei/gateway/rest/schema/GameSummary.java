package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A game in a list (metrics-service's GameSummary). */
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
