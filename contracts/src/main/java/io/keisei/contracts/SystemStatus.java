package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** A system sample on {@link Streams#SYSTEM}: one node's CPU, memory and GPUs at one instant. */
public record SystemStatus(@JsonProperty(required = true) int v, String node, @JsonProperty(required = true) long time, @JsonProperty(required = true) double cpuPercent, List<Double> perCorePercent,
                           @JsonProperty(required = true) long memoryUsedMb, @JsonProperty(required = true) long memoryTotalMb, List<GpuStatus> gpus) implements StreamMessage {

    public static final int VERSION = 1;

    public SystemStatus {
        Checks.version(VERSION, v);
        Checks.required("node", node);
        Checks.nonNegative("time", time);
        Checks.finite("cpuPercent", cpuPercent);
        perCorePercent = perCorePercent == null ? List.of() : List.copyOf(perCorePercent);
        Checks.nonNegative("memoryUsedMb", memoryUsedMb);
        Checks.nonNegative("memoryTotalMb", memoryTotalMb);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
