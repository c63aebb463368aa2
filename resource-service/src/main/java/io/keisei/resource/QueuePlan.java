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

    /** A queued request that fits now. */
    public record Grant(AllocationRecord allocation, List<Integer> gpuIndices) {
    }

    /** A request that keeps waiting. */
    public record Waiting(AllocationRecord allocation, int position, String reason) {
    }

    public Optional<Waiting> waiting(String allocationId) {
        return waiting.stream().filter(w -> w.allocation().id().equals(allocationId)).findFirst();
    }

    public Optional<Grant> grant(String allocationId) {
        return grants.stream().filter(g -> g.allocation().id().equals(allocationId)).findFirst();
    }
}
