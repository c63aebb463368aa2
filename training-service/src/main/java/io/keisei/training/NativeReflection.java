package io.keisei.training;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.CheckpointRequested;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.api.ConfigValidation;
import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.EvaluationGame;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.contracts.api.PlayerRating;
import io.keisei.contracts.api.ModelPage;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionAttempt;
import io.keisei.contracts.api.SessionPage;
import io.keisei.contracts.api.SessionState;
import io.keisei.contracts.api.TrainerInfo;
import io.keisei.contracts.config.ConfigError;
import io.keisei.contracts.config.ConfigField;
import io.keisei.contracts.config.TrainingConfig;
import io.keisei.contracts.EvaluationInfo;
import io.keisei.contracts.api.HeadToHead;
import io.keisei.contracts.api.GatingPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image: the REST bodies of this service,
 * the resource-service calls (AllocationApi) and the stream messages encoded
 * and decoded with the contracts codec (events in, control commands out).
 */
@RegisterForReflection(targets = {
        Session.class, SessionState.class, SessionAttempt.class, SessionPage.class, Checkpoint.class, ModelPage.class,
        ConfigTemplate.class, ConfigValidation.class, TrainerInfo.class, CheckpointRequested.class, FieldError.class,
        Evaluation.class, NewEvaluation.class, EvaluationGame.class, PlayerRating.class,
        EvaluationInfo.class, HeadToHead.class, HeadToHead.Player.class, HeadToHead.Pair.class, GatingPolicy.class,
        Checkpoint.Gate.class,
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
