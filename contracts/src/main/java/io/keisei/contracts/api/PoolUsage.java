package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A pool with what it has, what its granted allocations use and what is free.
 *
 * @param capacity       CPU millicores, memory MiB and GPUs in all
 * @param used           what granted allocations hold (allocations being preempted included)
 * @param free           capacity minus used (never below zero: a pool may shrink under its grants)
 * @param gpuIndices     the pool's GPUs, 0..capacity.gpus-1
 * @param freeGpuIndices the GPUs no granted allocation holds
 * @param granted        how many allocations are granted
 * @param queued         how many wait
 * @param nodes          a cluster pool's nodes (empty on the local host)
 */
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
        @Schema(description = "allocations waiting") int queued,
        @Schema(description = "a cluster pool's nodes, eligible or excluded with the reason; empty for the local host")
        List<NodeUsage> nodes) {

    public PoolUsage {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public PoolUsage(String name, String kind, Instant discoveredAt, ResourceAmount capacity, ResourceAmount used,
                     ResourceAmount free, List<Integer> gpuIndices, List<Integer> freeGpuIndices, int granted, int queued) {
        this(name, kind, discoveredAt, capacity, used, free, gpuIndices, freeGpuIndices, granted, queued, List.of());
    }
}
