package io.keisei.resource;

/**
 * One node of a cluster pool as the planner sees it: what the node can hand out (its allocatable CPU, memory and
 * GPUs), what pods that are not ours already request there (other people's workloads count), and why it takes no
 * trainers at all, if it does not (cordoned, not ready, a taint the trainer Jobs do not tolerate).
 *
 * @param allocatable what the node offers pods in all
 * @param usedByOthers the requests of every non-terminated pod on it that is not one of our trainers
 * @param gpuProduct  the GPU model (nvidia.com/gpu.product), or null
 * @param excluded    why no trainer may be placed on it; null when it is eligible
 */
public record ClusterNode(String name, String pool, Resources allocatable, Resources usedByOthers, String gpuProduct,
                          String excluded) {

    public boolean eligible() {
        return excluded == null;
    }

    /** What is left for our allocations before any of them is counted. */
    public Resources available() {
        return allocatable.minusFloorZero(usedByOthers);
    }
}
