package io.keisei.resource;

import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationState;

import java.time.Instant;
import java.util.List;

/**
 * An allocation as resource-service stores it (a row of resource.allocations). The REST shape is
 * the contract's {@link Allocation}, made by {@link #toContract}.
 *
 * @param gpuIndices     the GPUs granted; empty while queued, kept after release as history
 * @param reason         why it waited when it was queued; why it ended once released
 * @param leaseExpiresAt when a granted allocation lapses unless renewed; null = no lease (not used yet)
 */
public record AllocationRecord(String id, String session, String owner, Role role, int priority, String pool,
                               AllocationState state, Resources need, List<Integer> gpuIndices, String reason,
                               Instant createdAt, Instant grantedAt, Instant releasedAt, Instant leaseExpiresAt) {

    public AllocationRecord {
        gpuIndices = gpuIndices == null ? List.of() : List.copyOf(gpuIndices);
    }

    public boolean live() {
        return state != AllocationState.RELEASED;
    }

    /** The contract form; queue position and reason are passed in because they are computed on read. */
    public Allocation toContract(Integer queuePosition, String currentReason) {
        return new Allocation(id, session, owner, priority, pool, state, need.cpuMillis(), need.memoryMb(), need.gpus(),
                gpuIndices, queuePosition, currentReason, createdAt, grantedAt, releasedAt);
    }

    public AllocationRecord granted(List<Integer> indices, Instant at) {
        return new AllocationRecord(id, session, owner, role, priority, pool, AllocationState.GRANTED, need, indices, null,
                createdAt, at, null, leaseExpiresAt);
    }

    public AllocationRecord released(String why, Instant at) {
        return new AllocationRecord(id, session, owner, role, priority, pool, AllocationState.RELEASED, need, gpuIndices,
                why, createdAt, grantedAt, at, null);
    }
}
