package io.keisei.contracts.allocation;

import java.time.Instant;
import java.util.List;

/**
 * An allocation as resource-service reports it (and as training-service reads it).
 *
 * @param gpus          how many whole GPUs

 * @param gpuIndices    the concrete GPUs granted (for CUDA_VISIBLE_DEVICES); empty while queued
 * @param queuePosition 1-based position while queued, else null
 * @param reason        why it waits while queued, e.g. "needs 1 GPU, 0 of 1 free, 2 requests ahead"; why it ended when released
 * @param node          the cluster node a grant was placed on (its trainer runs there); null on the local host
 * @param kueueQueue    under Kueue admission, the LocalQueue the allocation was handed to: its trainer's Job is created
 *                      (suspended) while it is still queued, and Kueue's admission grants it; null when resource-service
 *                      admits by itself, and while a request waits for its owner's quota before it is handed over
 */
public record Allocation(String id, String session, String owner, int priority, String pool, AllocationState state,
                         long cpuMillis, long memoryMb, int gpus, List<Integer> gpuIndices, Integer queuePosition,
                         String reason, Instant createdAt, Instant grantedAt, Instant releasedAt, String node,
                         String kueueQueue) {

    public Allocation(String id, String session, String owner, int priority, String pool, AllocationState state,
                      long cpuMillis, long memoryMb, int gpus, List<Integer> gpuIndices, Integer queuePosition,
                      String reason, Instant createdAt, Instant grantedAt, Instant releasedAt, String node) {
        this(id, session, owner, priority, pool, state, cpuMillis, memoryMb, gpus, gpuIndices, queuePosition, reason,
                createdAt, grantedAt, releasedAt, node, null);
    }

    public Allocation(String id, String session, String owner, int priority, String pool, AllocationState state,
                      long cpuMillis, long memoryMb, int gpus, List<Integer> gpuIndices, Integer queuePosition,
                      String reason, Instant createdAt, Instant grantedAt, Instant releasedAt) {
        this(id, session, owner, priority, pool, state, cpuMillis, memoryMb, gpus, gpuIndices, queuePosition, reason,
                createdAt, grantedAt, releasedAt, null);
    }
}
