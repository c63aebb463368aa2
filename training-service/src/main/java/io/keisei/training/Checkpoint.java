package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A registered checkpoint (model). The file path stays server-side. */
public record Checkpoint(String id, String session, int attempt, long step, long sizeBytes, String sha256,
                         JsonNode architecture, JsonNode metrics, Instant createdAt) {
}
