package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A training session as the API shows it.
 *
 * @param stateReason why the session is in its state, when there is something to say (a failure, a queue wait)
 */
public record Session(String id, String name, String owner, int priority, SessionState state, String stateReason,
                      String template, String trainer, JsonNode config, long currentStep, int attempts,
                      String latestCheckpointId, String resumeFromCheckpointId, Instant createdAt, Instant updatedAt) {
}
