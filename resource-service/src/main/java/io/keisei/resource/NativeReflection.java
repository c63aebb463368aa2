package io.keisei.resource;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.SystemStatus;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.HostResources;
import io.keisei.contracts.api.NodeUsage;
import io.keisei.contracts.api.PoolUsage;
import io.keisei.contracts.api.ResourceAmount;
import io.keisei.contracts.api.ResourceEstimate;
import io.keisei.contracts.config.TrainingConfig;
import io.keisei.resource.rest.ReleaseRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image: the REST bodies of this service
 * and the stream messages it encodes and decodes with the contracts codec's own ObjectMapper.
 */
@RegisterForReflection(targets = {
        Allocation.class, AllocationRequest.class, AllocationState.class, ReleaseRequest.class,
        ResourceEstimate.class, ResourceEstimate.Item.class, HostResources.class, Pool.class, PoolUsage.class,
        NodeUsage.class, ClusterNode.class,
        Resources.class, ResourceAmount.class, FieldError.class, SystemStatus.class, GpuStatus.class,
        LifecycleEvent.class, AllocationInfo.class, CheckpointInfo.class, EventType.class,
        TrainingConfig.class, TrainingConfig.Env.class, TrainingConfig.Training.class, TrainingConfig.Evaluation.class,
        TrainingConfig.Logging.class, TrainingConfig.Wandb.class, TrainingConfig.Parallel.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
