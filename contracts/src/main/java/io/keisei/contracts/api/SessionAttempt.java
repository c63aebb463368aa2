package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** One start or resume of a session: its allocation, trainer handle and how it ended (training-service's attempts). */
@Schema(name = "SessionAttempt", description = "One start or resume of a session: its allocation, trainer handle and how it ended.")
public record SessionAttempt(
        @Schema(required = true, description = "1 for the first start, +1 per resume") int attempt,
        String allocationId,
        @Schema(description = "the GPUs granted, comma-separated") String gpuIndices,
        @Schema(description = "how the trainer was launched: process or kubernetes") String launcher,
        @Schema(description = "the launcher's handle (a process id or a Job name)") String handle,
        String resumeCheckpointId,
        @Schema(description = "the trainer's exit code once it ended") Integer exitCode,
        @Schema(description = "why it ended") String reason,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt) {
}
