package io.keisei.gateway.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.keisei.contracts.AllocationInfo;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/**
 * GET /api/v1/sessions/{id}/status: the hot path, built from memory. (The state is training-service's, passed on as
 * text; the document names its values through the SessionState schema of contracts' api package.)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SessionStatus", description = "A session's live status.")
public record SessionStatusView(@Schema(required = true) String id, String name, String owner,
                                @Schema(required = true, ref = "SessionState") String state, String stateReason,
                                @Schema(description = "the current attempt (1 for the first start, +1 per resume)") int attempt,
                                @Schema(description = "the latest global timestep") long step,
                                @Schema(description = "training.total_timesteps of the config") Long totalTimesteps,
                                @Schema(description = "step / totalTimesteps, 0..1") Double progress,
                                @Schema(description = "training speed, smoothed over about a minute of wall time; only while running")
                                Double stepsPerSecond,
                                @Schema(description = "seconds to totalTimesteps at the smoothed speed, while running") Long etaSeconds,
                                @Schema(description = "the latest value of every metric, by name") Map<String, Double> metrics,
                                @Schema(description = "when the live state last changed, epoch milliseconds") Long updatedAt,
                                Allocation allocation, Game game, String latestCheckpointId) {

    /** The session's allocation as the last allocation event described it, and that event's type. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SessionAllocation", description = "The session's allocation as the last allocation event described it.")
    public record Allocation(String event, @JsonUnwrapped AllocationInfo info) {

        static Allocation of(String event, AllocationInfo a) {
            return a == null ? null : new Allocation(event, a);
        }
    }

    /** The game being played, if any. */
    @Schema(name = "CurrentGame", description = "The game being played.")
    public record Game(String gameId, int ply) {
    }
}
