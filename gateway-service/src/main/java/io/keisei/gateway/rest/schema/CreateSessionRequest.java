package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** The body of createSession (what training-service's CreateSessionRequest reads, less what the gateway sets). */
@Schema(name = "CreateSessionRequest", description = "A new session: a template and/or a config overlay. The caller owns "
        + "it, with the caller's role for quotas.")
public record CreateSessionRequest(
        @Schema(required = true, maxLength = 100, description = "a display name") String name,
        @Schema(maxLength = 64, description = "a template to start from (see listTemplates), e.g. quick-cpu") String template,
        @Schema(maxLength = 64, description = "the trainer to run (default: the template's, else builtin)") String trainer,
        @Schema(minimum = "0", maximum = "1000", description = "admission priority, higher first (default 0)") Integer priority,
        @Schema(description = "config values over the template's (or the trainer's defaults), in the trainer's dialect")
        Map<String, Object> config,
        @Schema(maxLength = 262144, description = "keisei-2026 trainers only: the config as a TOML document, instead of config")
        String configToml,
        @Schema(maxLength = 128, description = "a model id whose session config is the base (same dialect)") String resumeFrom,
        @Schema(maxLength = 64, description = "admins only: create it for this owner (others always own what they create)")
        String owner) {
}
