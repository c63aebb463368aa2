package io.keisei.resource;

import java.time.Instant;

/** A named resource pool and its capacity. */
public record Pool(String name, String kind, long cpuMillis, long memoryMb, int gpuCount, Instant discoveredAt) {
}
