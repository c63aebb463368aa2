package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An amount of what a pool hands out (resource-service's Resources). */
@Schema(name = "ResourceAmount", description = "CPU in millicores (1000 = one core), memory in MiB and whole GPUs.")
public record ResourceAmount(long cpuMillis, long memoryMb, int gpus) {
}
