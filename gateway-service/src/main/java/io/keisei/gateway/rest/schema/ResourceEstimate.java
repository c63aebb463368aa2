package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The answer of estimateResources (resource-service's ResourceEstimate). */
@Schema(name = "ResourceEstimate", description = "What a training config is expected to need, and how that was reached.")
public record ResourceEstimate(
        @Schema(description = "CPU to request, millicores") long cpuMillis,
        @Schema(description = "memory to request, MiB") long memoryMb,
        @Schema(description = "whole GPUs to request (1 for env.device = cuda)") int gpus,
        @Schema(description = "on CUDA, what of the memory lives on the GPU; 0 on CPU") long gpuMemoryMb,
        @Schema(description = "the model's parameter count") long parameters,
        String device,
        String modelType,
        @Schema(description = "one item per component") List<EstimateItem> breakdown) {
}
