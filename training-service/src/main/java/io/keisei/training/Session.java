package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A training session as the API shows it. */
public record Session(String id, String name, String owner, int priority, SessionState state, JsonNode config,
                      long currentStep, Instant createdAt, Instant updatedAt) {
}
