package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A position of a game after {@code ply} moves, and the USI move that led to it (null at the start). */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "GamePosition", description = "The position after ply moves, and the USI move that led to it (null at the start).")
public record GamePosition(@Schema(required = true) int ply, @Schema(required = true, description = "SFEN") String sfen,
                           String lastMove) {
}
