package io.keisei.gateway.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.keisei.contracts.AllocationInfo;

import java.util.Map;

/** GET /api/v1/sessions/{id}/status: the hot path, built from memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionStatusView(String id, String name, String owner, String state, String stateReason, int attempt,
                                long step, Long totalTimesteps, Double progress, Double stepsPerSecond, Long etaSeconds,
                                Map<String, Double> metrics, Long updatedAt, Allocation allocation, Game game,
                                String latestCheckpointId) {

    /** The session's allocation as the last allocation event described it, and that event's type. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Allocation(String event, @JsonUnwrapped AllocationInfo info) {

        static Allocation of(String event, AllocationInfo a) {
            return a == null ? null : new Allocation(event, a);
        }
    }

    /** The game being played, if any. */
    public record Game(String gameId, int ply) {
    }
}
