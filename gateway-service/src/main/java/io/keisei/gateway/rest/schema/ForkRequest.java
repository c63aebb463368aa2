package io.keisei.gateway.rest.schema;

import io.keisei.contracts.api.SessionRules;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of forkModel; its rules are {@link SessionRules}'s, as for createSession. */
@Schema(name = "ForkRequest", description = "A new session that trains on from a model, owned by the caller.")
public record ForkRequest(
        @Schema(maxLength = SessionRules.NAME_MAX_LENGTH, pattern = "^" + SessionRules.NAME_PATTERN + "$",
                description = "a display name (default: derived from the source session's)") String name,
        @Schema(minimum = SessionRules.PRIORITY_MIN_TEXT, maximum = SessionRules.PRIORITY_MAX_TEXT,
                description = "admission priority (default: the source's when forking one's own session, else 0)")
        Integer priority,
        @Schema(maxLength = SessionRules.OWNER_MAX_LENGTH, pattern = "^" + SessionRules.OWNER_PATTERN + "$",
                description = "admins only: fork it for this owner") String owner,
        @Schema(maxLength = SessionRules.POOL_MAX_LENGTH, pattern = "^" + SessionRules.POOL_PATTERN + "$",
                description = "the resource pool its trainer runs in (GET /api/v1/resources lists them); default: the "
                        + "source session's") String pool) {
}
