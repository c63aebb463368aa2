package io.keisei.training;

import java.time.Instant;

/** One start or resume of a session: its allocation, trainer handle and how it ended. */
public record Attempt(int attempt, String allocationId, String gpuIndices, String launcher, String handle,
                      String resumeCheckpointId, Integer exitCode, String reason, Instant createdAt, Instant startedAt,
                      Instant endedAt) {
}
