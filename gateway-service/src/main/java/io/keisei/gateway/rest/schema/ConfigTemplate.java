package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** A named starting point for a session's config (training-service's ConfigTemplate). */
@Schema(name = "ConfigTemplate", description = "A named starting point for a session's config.")
public record ConfigTemplate(
        @Schema(required = true, description = "e.g. quick-cpu") String name,
        String title,
        String description,
        @Schema(description = "the trainer a session made from it uses") String trainer,
        @Schema(description = "the dialect of config") String dialect,
        @Schema(description = "whether that trainer is registered here") boolean available,
        @Schema(description = "the template's config values") Map<String, Object> config) {
}
