package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.keisei.contracts.allocation.Allocation;

import java.util.List;

/**
 * An allocation as carried by allocation events: what was granted (or requested, while queued),
 * and for a queued request its position and the reason it waits. In every allocation record
 * {@code gpus} is a count and {@code gpuIndices} the concrete devices.
 *
 * @param gpuIndices the GPUs granted (for CUDA_VISIBLE_DEVICES); empty while queued
 * @param node       the cluster node the grant was placed on, where its trainer must run; null on the local host
 * @param gpuCount   how many GPUs: the size of {@code gpuIndices} once a host's GPUs are granted, and the count to
 *                   request where no device indices are assigned (an allocation handed to Kueue); null in old events
 * @param kueueQueue the Kueue LocalQueue that admits this allocation (its trainer's Job is created suspended, naming
 *                   it); null when resource-service admits by itself
 */
public record AllocationInfo(String allocationId, String pool, @JsonProperty(required = true) long cpuMillis,
                             @JsonProperty(required = true) long memoryMb,
                             @JsonAlias("gpus") List<Integer> gpuIndices, // "gpus": events written before the rename
                             Integer queuePosition, String reason, String node, Integer gpuCount, String kueueQueue) {

    public AllocationInfo {
        Checks.required("allocation.allocationId", allocationId);
        Checks.required("allocation.pool", pool);
        Checks.nonNegative("allocation.cpuMillis", cpuMillis);
        Checks.nonNegative("allocation.memoryMb", memoryMb);
        gpuIndices = gpuIndices == null ? List.of() : List.copyOf(gpuIndices);
    }

    public AllocationInfo(String allocationId, String pool, long cpuMillis, long memoryMb, List<Integer> gpuIndices,
                          Integer queuePosition, String reason, String node) {
        this(allocationId, pool, cpuMillis, memoryMb, gpuIndices, queuePosition, reason, node, null, null);
    }

    public AllocationInfo(String allocationId, String pool, long cpuMillis, long memoryMb, List<Integer> gpuIndices,
                          Integer queuePosition, String reason) {
        this(allocationId, pool, cpuMillis, memoryMb, gpuIndices, queuePosition, reason, null, null, null);
    }

    /** GPUs to request for the trainer: the count where one was given, else the granted devices. */
    public int requestedGpus() {
        return gpuCount != null ? gpuCount : gpuIndices.size();
    }

    /** The event's view of an allocation resource-service reports. */
    public static AllocationInfo of(Allocation a) {
        return new AllocationInfo(a.id(), a.pool(), a.cpuMillis(), a.memoryMb(), a.gpuIndices(), a.queuePosition(), a.reason(),
                a.node(), a.gpus(), a.kueueQueue());
    }
}
