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
 * @param reason         why it waited when it was queued; why it was preempted while granted; why it
 *                       ended once released
 * @param leaseExpiresAt when a granted allocation lapses unless its trainer's heartbeat renews it;
 *                       null = no lease yet
 * @param preemptedAt    when a granted allocation was chosen as a preemption victim (it keeps its
 *                       resources until its session pauses); null = not preempted
 * @param node           the node a grant was placed on, in a cluster pool; null on the local host and while queued
 */
public record AllocationRecord(String id, String session, String owner, Role role, int priority, String pool,
                               AllocationState state, Resources need, List<Integer> gpuIndices, String reason,
                               Instant createdAt, Instant grantedAt, Instant releasedAt, Instant leaseExpiresAt,
                               Instant preemptedAt, String node, String kueueQueue) {

    public AllocationRecord {
        gpuIndices = gpuIndices == null ? List.of() : List.copyOf(gpuIndices);
    }

    /** A record resource-service admits by itself. */
    public AllocationRecord(String id, String session, String owner, Role role, int priority, String pool,
                            AllocationState state, Resources need, List<Integer> gpuIndices, String reason,
                            Instant createdAt, Instant grantedAt, Instant releasedAt, Instant leaseExpiresAt,
                            Instant preemptedAt, String node) {
        this(id, session, owner, role, priority, pool, state, need, gpuIndices, reason, createdAt, grantedAt, releasedAt,
                leaseExpiresAt, preemptedAt, node, null);
    }

    /** A record that was never preempted. */
    public AllocationRecord(String id, String session, String owner, Role role, int priority, String pool,
                            AllocationState state, Resources need, List<Integer> gpuIndices, String reason,
                            Instant createdAt, Instant grantedAt, Instant releasedAt, Instant leaseExpiresAt) {
        this(id, session, owner, role, priority, pool, state, need, gpuIndices, reason, createdAt, grantedAt, releasedAt,
                leaseExpiresAt, null, null);
    }

    public AllocationRecord(String id, String session, String owner, Role role, int priority, String pool,
                            AllocationState state, Resources need, List<Integer> gpuIndices, String reason,
                            Instant createdAt, Instant grantedAt, Instant releasedAt, Instant leaseExpiresAt,
                            Instant preemptedAt) {
        this(id, session, owner, role, priority, pool, state, need, gpuIndices, reason, createdAt, grantedAt, releasedAt,
                leaseExpiresAt, preemptedAt, null);
    }

    /** How the stored reason of a request put back in the queue begins; reads show it before the queue's reason. */
    public static final String REQUEUED = "queued again: ";

    /** Put back in the queue after its grant could not be used (the reason starts with {@link #REQUEUED}). */
    public boolean requeued() {
        return state == AllocationState.QUEUED && reason != null && reason.startsWith(REQUEUED);
    }

    /** Handed to a Kueue LocalQueue: Kueue, not our queue pass, decides when it is granted. */
    public boolean handedToKueue() {
        return kueueQueue != null;
    }

    /** Handed to Kueue's {@code queue}; it stays queued until Kueue admits its Workload. */
    public AllocationRecord handedTo(String queue, String why) {
        return new AllocationRecord(id, session, owner, role, priority, pool, state, need, gpuIndices, why, createdAt,
                grantedAt, releasedAt, leaseExpiresAt, preemptedAt, node, queue);
    }

    public boolean live() {
        return state != AllocationState.RELEASED;
    }

    public boolean granted() {
        return state == AllocationState.GRANTED;
    }

    /** Granted and chosen as a preemption victim: its resources are on their way back. */
    public boolean preempting() {
        return state == AllocationState.GRANTED && preemptedAt != null;
    }

    /** The contract form; queue position and reason are passed in because they are computed on read. */
    public Allocation toContract(Integer queuePosition, String currentReason) {
        return new Allocation(id, session, owner, priority, pool, state, need.cpuMillis(), need.memoryMb(), need.gpus(),
                gpuIndices, queuePosition, currentReason, createdAt, grantedAt, releasedAt, node, kueueQueue);
    }

    public AllocationRecord granted(List<Integer> indices, Instant at) {
        return granted(indices, at, null);
    }

    public AllocationRecord granted(List<Integer> indices, Instant at, Instant leaseUntil) {
        return granted(null, indices, at, leaseUntil);
    }

    /** Granted on {@code node} (null on the local host). */
    public AllocationRecord granted(String node, List<Integer> indices, Instant at, Instant leaseUntil) {
        return new AllocationRecord(id, session, owner, role, priority, pool, AllocationState.GRANTED, need, indices, null,
                createdAt, at, null, leaseUntil, null, node, kueueQueue);
    }

    public AllocationRecord requeuedBecause(String why) {
        return new AllocationRecord(id, session, owner, role, priority, pool, AllocationState.QUEUED, need, List.of(), why,
                createdAt, null, null, null, null, null, kueueQueue);
    }

    public AllocationRecord preempted(String why, Instant at) {
        return new AllocationRecord(id, session, owner, role, priority, pool, state, need, gpuIndices, why,
                createdAt, grantedAt, releasedAt, leaseExpiresAt, at, node, kueueQueue);
    }

    public AllocationRecord released(String why, Instant at) {
        return new AllocationRecord(id, session, owner, role, priority, pool, AllocationState.RELEASED, need, gpuIndices,
                why, createdAt, grantedAt, at, null, preemptedAt, node, kueueQueue);
    }
}
