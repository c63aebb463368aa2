package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of forkModel. */
@Schema(name = "ForkRequest", description = "A new session that trains on from a model, owned by the caller.")
public record ForkRequest(
        @Schema(maxLength = 100, description = "a display name (default: derived from the source session's)") String name,
        @Schema(minimum = "0", maximum = "1000", description = "admission priority (default: the source's when forking one's "
                + "own session, else 0)") Integer priority,
        @Schema(maxLength = 64, description = "admins only: fork it for this owner") String owner) {
}
