package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One GPU as sampled by resource-service (from nvidia-smi in local mode). */
public record GpuStatus(@JsonProperty(required = true) int index, String uuid, String name, long memoryUsedMb, long memoryTotalMb, double utilizationPercent) {

    public GpuStatus {
        if (index < 0) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field 'gpus.index' must be >= 0");
        }
        Checks.required("gpus.name", name);
    }
}
