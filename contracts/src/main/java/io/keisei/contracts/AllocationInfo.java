package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * An allocation as carried by allocation events: what was granted (or requested, while queued),
 * and for a queued request its position and the reason it waits.
 */
public record AllocationInfo(String allocationId, String pool, @JsonProperty(required = true) long cpuMillis, @JsonProperty(required = true) long memoryMb, List<Integer> gpus,
                             Integer queuePosition, String reason) {

    public AllocationInfo {
        Checks.required("allocation.allocationId", allocationId);
        Checks.required("allocation.pool", pool);
        Checks.nonNegative("allocation.cpuMillis", cpuMillis);
        Checks.nonNegative("allocation.memoryMb", memoryMb);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
