package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * A named starting point for a session's config.
 *
 * @param trainer   the trainer a session made from it uses unless it names another of the same dialect: for the
 *                  Keisei templates the registered custom trainer of that dialect (its suggested name, e.g.
 *                  keisei-2026, when no such trainer is registered)
 * @param dialect   the config dialect of {@code config}, e.g. keisei-2026
 * @param available whether such a trainer is registered here (custom trainers are registered by the operator)
 */
@Schema(name = "ConfigTemplate", description = "A named starting point for a session's config.")
public record ConfigTemplate(
        @Schema(required = true, description = "e.g. quick-cpu") String name,
        String title,
        String description,
        @Schema(description = "the trainer a session made from it uses") String trainer,
        @Schema(description = "the dialect of config") String dialect,
        @Schema(description = "whether that trainer is registered here") boolean available,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "the template's config values") JsonNode config) {
}
