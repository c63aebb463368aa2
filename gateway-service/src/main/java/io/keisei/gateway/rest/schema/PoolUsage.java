package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A pool and its use (resource-service's PoolUsage). */
@Schema(name = "PoolUsage", description = "A resource pool with what it has (capacity), what granted allocations hold (used) "
        + "and what is free (capacity minus used, never below zero).")
public record PoolUsage(
        @Schema(required = true) String name,
        @Schema(description = "e.g. local") String kind,
        Instant discoveredAt,
        ResourceAmount capacity,
        ResourceAmount used,
        ResourceAmount free,
        @Schema(description = "the pool's GPUs, 0..capacity.gpus-1") List<Integer> gpuIndices,
        @Schema(description = "the GPUs no granted allocation holds") List<Integer> freeGpuIndices,
        @Schema(description = "allocations granted") int granted,
        @Schema(description = "allocations waiting") int queued) {
}
