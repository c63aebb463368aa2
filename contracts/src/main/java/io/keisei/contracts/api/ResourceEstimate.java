package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
@Schema(name = "ResourceEstimate", description = "What a training config is expected to need, and how that was reached.")
public record ResourceEstimate(
        @Schema(description = "CPU to request, millicores") long cpuMillis,
        @Schema(description = "memory to request, MiB") long memoryMb,
        @Schema(description = "whole GPUs to request (1 for env.device = cuda)") int gpus,
        @Schema(description = "on CUDA, what of the memory lives on the GPU; 0 on CPU") long gpuMemoryMb,
        @Schema(description = "the model's parameter count") long parameters,
        String device,
        String modelType,
        @Schema(description = "one item per component") List<Item> breakdown) {

    /** One component of the estimate and the arithmetic behind it. */
    @Schema(name = "EstimateItem", description = "One component of an estimate and the arithmetic behind it.")
    public record Item(String component, long cpuMillis, long memoryMb, int gpus, String basis) {
    }
}
