package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * One game as stored from keisei:games: its latest state, the USI moves from the start position,
 * and every position seen, by ply. {@code result} is null while the game runs.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "Game", description = "A self-play game: its latest state, the USI moves from the start position and "
        + "every position seen, by ply.")
public record Game(
        @Schema(required = true) String gameId,
        @Schema(required = true) String session,
        Instant startedAt,
        Instant updatedAt,
        int ply,
        @Schema(description = "null while the game runs") String result,
        @Schema(description = "the current position (SFEN)") String sfen,
        @Schema(description = "USI") String lastMove,
        String sideToMove,
        @Schema(description = "USI moves from the start position") List<String> moves,
        List<GamePosition> positions) {
}
