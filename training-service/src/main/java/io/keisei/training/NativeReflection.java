package io.keisei.training;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.contracts.config.ConfigError;
import io.keisei.contracts.config.ConfigField;
import io.keisei.contracts.config.TrainingConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image: the REST bodies of this service,
 * the resource-service calls (AllocationApi) and the stream messages encoded
 * and decoded with the contracts codec (events in, control commands out).
 */
@RegisterForReflection(targets = {
        Session.class, SessionState.class, Attempt.class, Checkpoint.class, ConfigTemplate.class,
        Allocation.class, AllocationRequest.class, AllocationState.class,
        LifecycleEvent.class, EventType.class, AllocationInfo.class, CheckpointInfo.class,
        ControlCommand.class, ControlCommand.Type.class,
        ConfigError.class, ConfigField.class, ConfigField.Type.class,
        TrainingConfig.class, TrainingConfig.Env.class, TrainingConfig.Training.class, TrainingConfig.Evaluation.class,
        TrainingConfig.Logging.class, TrainingConfig.Wandb.class, TrainingConfig.Parallel.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
