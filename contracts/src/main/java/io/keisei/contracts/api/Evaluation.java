package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An evaluation: a match between two players, run as a job, and its score so far. */
@Schema(name = "Evaluation", description = "A match between two players run as a job: queued until resource-service "
        + "admits it, running, then completed (or failed with a reason, or cancelled), with its score.")
public record Evaluation(
        @Schema(required = true) String id,
        @Schema(description = "the session it is filed under") String session,
        @Schema(required = true) String owner,
        @Schema(required = true) String playerA,
        @Schema(required = true) String playerB,
        int games,
        long seed,
        int priority,
        @Schema(required = true, enumeration = {"queued", "running", "completed", "failed", "cancelled"}) String state,
        @Schema(description = "why it is in its state (the queue's reason while queued, the failure)") String stateReason,
        @Schema(description = "games won by player A") int aWins,
        @Schema(description = "games won by player B") int bWins,
        int draws,
        @Schema(description = "the challenger model this evaluation gates, when automatic gating filed it") String gate,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {
}
