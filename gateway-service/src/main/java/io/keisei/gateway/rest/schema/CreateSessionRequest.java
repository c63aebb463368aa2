package io.keisei.gateway.rest.schema;

import io.keisei.contracts.api.GatingPolicy;
import io.keisei.contracts.api.SessionRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * The body of createSession (what training-service's CreateSessionRequest reads, less what the gateway sets). The
 * rules are {@link SessionRules}'s, as training-service checks them; getSessionSchema serves them to the dashboard.
 */
@Schema(name = "CreateSessionRequest", description = "A new session: a template and/or a config overlay. The caller owns "
        + "it, with the caller's role for quotas.")
public record CreateSessionRequest(
        @Schema(required = true, minLength = 1, maxLength = SessionRules.NAME_MAX_LENGTH,
                pattern = "^" + SessionRules.NAME_PATTERN + "$",
                description = "a display name: letters, digits, spaces and _ . : - (leading and trailing spaces are dropped)")
        String name,
        @Schema(maxLength = SessionRules.TEMPLATE_MAX_LENGTH, description = "a template to start from (see listTemplates), "
                + "e.g. quick-cpu") String template,
        @Schema(maxLength = SessionRules.TRAINER_MAX_LENGTH, description = "the trainer to run (default: the template's, "
                + "else builtin)") String trainer,
        @Schema(minimum = SessionRules.PRIORITY_MIN_TEXT, maximum = SessionRules.PRIORITY_MAX_TEXT,
                description = "admission priority, higher first (default 0)") Integer priority,
        @Schema(description = "config values over the template's (or the trainer's defaults), in the trainer's dialect")
        Map<String, Object> config,
        @Schema(maxLength = SessionRules.CONFIG_TOML_MAX_LENGTH, description = "keisei-2026 trainers only: the config as a "
                + "TOML document, instead of config") String configToml,
        @Schema(maxLength = SessionRules.RESUME_FROM_MAX_LENGTH, description = "a model id whose session config is the base "
                + "(same dialect)") String resumeFrom,
        @Schema(maxLength = SessionRules.POOL_MAX_LENGTH, pattern = "^" + SessionRules.POOL_PATTERN + "$",
                description = SessionRules.POOL_DESCRIPTION + "; one that does not exist is a 400 at startSession")
        String pool,
        @Schema(maxLength = SessionRules.OWNER_MAX_LENGTH, pattern = "^" + SessionRules.OWNER_PATTERN + "$",
                description = "admins only: create it for this owner (others always own what they create)")
        String owner,
        @Schema(description = "automatic gating of its new checkpoints against its best (default: off)")
        GatingPolicy gating) {
}
