package io.keisei.resource;

import io.keisei.contracts.GpuStatus;

import java.util.List;

/**
 * What this host offers to trainers, after cgroup limits and configured overrides.
 *
 * @param cpuMillis    CPU in millicores (1000 = one core)
 * @param memoryMb     memory in MiB
 * @param gpuCount     whole GPUs offered (indices 0..gpuCount-1)
 * @param cpuSource    where the CPU figure came from: "cgroup", "jvm" or "override"
 * @param memorySource where the memory figure came from: "cgroup", "os" or "override"
 * @param gpuSource    where the GPU figure came from: "nvidia-smi", "override", or "none" (no nvidia-smi,
 *                     it failed, or discovery is off)
 * @param gpus         the GPUs nvidia-smi reports (index, uuid, name, memory, utilisation); empty without it
 */
public record HostResources(String hostname, int cpuCores, long cpuMillis, long memoryMb, int gpuCount,
                            String cpuSource, String memorySource, String gpuSource, List<GpuStatus> gpus) {

    public HostResources {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
