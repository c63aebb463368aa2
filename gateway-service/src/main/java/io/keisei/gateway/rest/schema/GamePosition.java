package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A position of a game (metrics-service's GamePosition). */
@Schema(name = "GamePosition", description = "The position after ply moves, and the USI move that led to it (null at the start).")
public record GamePosition(@Schema(required = true) int ply, @Schema(required = true, description = "SFEN") String sfen,
                           String lastMove) {
}
