package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/** A game in a session's list of recent games: its latest state without moves and positions. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GameSummary(String gameId, String session, Instant startedAt, Instant updatedAt, int ply, String result,
                          String lastMove, String sideToMove) {
}
