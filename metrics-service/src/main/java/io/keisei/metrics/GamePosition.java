package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A position of a game after {@code ply} moves, and the USI move that led to it (null at the start). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record GamePosition(int ply, String sfen, String lastMove) {
}
