package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A system sample on {@link Streams#SYSTEM}: one node's CPU, memory and GPUs at one instant.
 *
 * <p>A sample of the local host (resource-service's local mode) leaves the last three fields out. In cluster mode there
 * is one sample per cluster node, and they say where it stands and how its use was known:
 *
 * @param pool          the node's pool (its pool label, else the default pool); absent for a host sample
 * @param usageSource   where CPU and memory use come from: {@link #USAGE_METRICS} (measured, metrics.k8s.io) or
 *                      {@link #USAGE_REQUESTS} (what its pods request); absent for a host sample (measured there).
 *                      A string, not an enum, so that a later source is an additive change older readers ignore
 * @param gpusRequested how many of the node's GPUs its pods request; absent for a host sample. Cluster-mode
 *                      {@code gpus} entries stand for the node's allocatable GPUs, with no utilisation or memory known
 */
public record SystemStatus(@JsonProperty(required = true) int v, String node, @JsonProperty(required = true) long time, @JsonProperty(required = true) double cpuPercent, List<Double> perCorePercent,
                           @JsonProperty(required = true) long memoryUsedMb, @JsonProperty(required = true) long memoryTotalMb, List<GpuStatus> gpus,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String pool,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String usageSource,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer gpusRequested) implements StreamMessage {

    public static final int VERSION = 1;

    /** CPU and memory use measured by metrics.k8s.io (metrics-server). */
    public static final String USAGE_METRICS = "metrics";
    /** CPU and memory use as the sum of the node's pods' requests (no metrics for the node). */
    public static final String USAGE_REQUESTS = "requests";

    public SystemStatus {
        Checks.version(VERSION, v);
        Checks.required("node", node);
        Checks.nonNegative("time", time);
        Checks.finite("cpuPercent", cpuPercent);
        perCorePercent = perCorePercent == null ? List.of() : List.copyOf(perCorePercent);
        Checks.nonNegative("memoryUsedMb", memoryUsedMb);
        Checks.nonNegative("memoryTotalMb", memoryTotalMb);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        if (gpusRequested != null) {
            Checks.nonNegative("gpusRequested", gpusRequested.longValue());
        }
    }

    /** A sample of the local host (measured there; no pool). */
    public SystemStatus(int v, String node, long time, double cpuPercent, List<Double> perCorePercent, long memoryUsedMb,
                        long memoryTotalMb, List<GpuStatus> gpus) {
        this(v, node, time, cpuPercent, perCorePercent, memoryUsedMb, memoryTotalMb, gpus, null, null, null);
    }
}
