package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An amount of what a pool hands out: CPU in millicores, memory in MiB and whole GPUs (resource-service's Resources). */
@Schema(name = "ResourceAmount", description = "CPU in millicores (1000 = one core), memory in MiB and whole GPUs.")
public record ResourceAmount(long cpuMillis, long memoryMb, int gpus) {
}
