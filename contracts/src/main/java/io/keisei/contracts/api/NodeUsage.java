package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One node of a cluster pool: what it offers, what other people's pods and our allocations take there, and why it
 * takes no trainers, if it does not.
 *
 * @param allocatable   the node's allocatable CPU, memory and GPUs
 * @param usedByOthers  the requests of pods that are not our trainers (other people's workloads)
 * @param usedByKeisei  what our granted allocations placed on it hold
 * @param free          allocatable minus both (never below zero)
 * @param excluded      why no trainer is placed on it (cordoned, not ready, an untolerated taint); null when eligible
 */
@Schema(name = "NodeUsage", description = "A node of a cluster pool with what it offers, what other workloads and our "
        + "allocations use there, what is free, and why it is excluded when it takes no trainers.")
public record NodeUsage(
        @Schema(required = true) String name,
        @Schema(description = "the GPU model (nvidia.com/gpu.product)") String gpuProduct,
        ResourceAmount allocatable,
        ResourceAmount usedByOthers,
        ResourceAmount usedByKeisei,
        ResourceAmount free,
        @Schema(description = "allocations granted on it") int granted,
        @Schema(description = "why no trainer is placed on it; absent when it takes trainers") String excluded) {
}
