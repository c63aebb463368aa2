package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** A registered checkpoint (a model in the API). The file path stays server-side. */
@Schema(name = "Model", description = "A model: a checkpoint a trainer saved, with its metadata.")
public record Checkpoint(
        @Schema(required = true) String id,
        @Schema(required = true, description = "the session that trained it") String session,
        int attempt,
        @Schema(description = "the global timestep it was saved at") long step,
        long sizeBytes,
        @Schema(required = true, pattern = "^[0-9a-f]{64}$",
                description = "SHA-256 of the file, lower-case hex (the download's ETag)") String sha256,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "the network's architecture as the trainer described it") JsonNode architecture,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "metric values when it was saved") JsonNode metrics,
        Instant createdAt) {
}
