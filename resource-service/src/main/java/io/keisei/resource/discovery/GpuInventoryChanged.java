package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;

import java.util.List;

/** Fired when the GPUs nvidia-smi reports change in number (found, lost, or first found after a failure). */
public record GpuInventoryChanged(List<GpuStatus> gpus) {
}
