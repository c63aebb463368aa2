package io.keisei.contracts.api;

import io.keisei.contracts.GpuStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
@Schema(name = "HostResources", description = "What this host offers to trainers, after cgroup limits and configured overrides.")
public record HostResources(
        String hostname,
        int cpuCores,
        @Schema(description = "millicores") long cpuMillis,
        @Schema(description = "MiB") long memoryMb,
        int gpuCount,
        @Schema(description = "cgroup, jvm or override") String cpuSource,
        @Schema(description = "cgroup, os or override") String memorySource,
        @Schema(description = "nvidia-smi, override or none") String gpuSource,
        @Schema(description = "the GPUs nvidia-smi reports; empty without it") List<GpuStatus> gpus) {

    public HostResources {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
