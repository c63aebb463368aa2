package io.keisei.resource;

import java.util.List;

/**
 * What a training config is expected to need: the figures to put in an allocation request, and
 * how they were reached.
 *
 * @param cpuMillis   CPU to request, millicores
 * @param memoryMb    memory to request, MiB (the sum of the memory items)
 * @param gpus        whole GPUs to request (1 for env.device = cuda, else 0)
 * @param gpuMemoryMb on CUDA, what of the memory lives on the GPU (model state, activations,
 *                    experience buffer); 0 on CPU
 * @param parameters  the model's parameter count
 * @param breakdown   one item per component
 */
public record ResourceEstimate(long cpuMillis, long memoryMb, int gpus, long gpuMemoryMb, long parameters,
                               String device, String modelType, List<Item> breakdown) {

    /** One component of the estimate and the arithmetic behind it. */
    public record Item(String component, long cpuMillis, long memoryMb, int gpus, String basis) {
    }
}
