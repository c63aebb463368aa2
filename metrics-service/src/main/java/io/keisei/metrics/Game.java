package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * One game as stored from keisei:games: its latest state, the USI moves from the start position,
 * and every position seen, by ply. {@code result} is null while the game runs.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Game(String gameId, String session, Instant startedAt, Instant updatedAt, int ply, String result,
                   String sfen, String lastMove, String sideToMove, List<String> moves, List<GamePosition> positions) {
}
