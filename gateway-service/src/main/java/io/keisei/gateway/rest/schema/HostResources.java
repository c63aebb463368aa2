package io.keisei.gateway.rest.schema;

import io.keisei.contracts.GpuStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** What the host offers to trainers (resource-service's HostResources). */
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
}
