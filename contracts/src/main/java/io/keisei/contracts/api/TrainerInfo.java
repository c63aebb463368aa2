package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A trainer sessions may use, and the config dialect it reads. */
@Schema(name = "Trainer", description = "A trainer sessions may use, and the config dialect it reads.")
public record TrainerInfo(@Schema(required = true, description = "e.g. builtin") String name,
                          @Schema(required = true, description = "keisei-2025 (JSON) or keisei-2026 (keisei-train TOML)")
                          String dialect,
                          @Schema(description = "true for the built-in trainer") boolean builtin) {
}
