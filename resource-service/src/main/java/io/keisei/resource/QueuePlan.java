package io.keisei.resource;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one scheduling pass over a pool: the queued requests to grant now (with their
 * GPUs) and, for those that still wait, their 1-based position and why they wait.
 *
 * @param capacity what the pool has
 * @param free     what stays free after the grants of this plan
 */
public record QueuePlan(Resources capacity, Resources free, List<Grant> grants, List<Waiting> waiting) {

    /** Why a request waits. */
    public enum Cause {
        /** Not enough is free now (or what is free is held for requests ahead). */
        RESOURCES,
        /** Its owner already runs as many sessions as the role's quota allows. */
        QUOTA,
        /** It is larger than the whole pool (the pool shrank after it was queued). */
        CAPACITY
    }

    /** A queued request that fits now, with its GPUs and, in a cluster pool, the node it is placed on. */
    public record Grant(AllocationRecord allocation, List<Integer> gpuIndices, String node) {

        public Grant(AllocationRecord allocation, List<Integer> gpuIndices) {
            this(allocation, gpuIndices, null);
        }
    }

    /** A request that keeps waiting. */
    public record Waiting(AllocationRecord allocation, int position, String reason, Cause cause) {
    }

    public Optional<Waiting> waiting(String allocationId) {
        return waiting.stream().filter(w -> w.allocation().id().equals(allocationId)).findFirst();
    }

    public Optional<Grant> grant(String allocationId) {
        return grants.stream().filter(g -> g.allocation().id().equals(allocationId)).findFirst();
    }

    /** The first request that waits for resources: the one a preemption would be for. */
    public Optional<Waiting> headWaitingForResources() {
        return waiting.stream().filter(w -> w.cause() == Cause.RESOURCES).findFirst();
    }
}
