package io.keisei.training.launcher;

import io.keisei.contracts.AllocationInfo;

import java.nio.file.Path;

/**
 * One trainer attempt to start, as intent: which trainer, its config, what it resumes from and
 * what resource-service granted. Each launcher renders it its own way (a child process with a
 * config file, a Job with a ConfigMap); nothing is parsed back from a command line.
 *
 * @param configFile       the attempt's config, rendered in the trainer's dialect
 * @param checkpointDir    where the trainer writes checkpoints (the same path on a cluster's shared volume)
 * @param resumeCheckpoint the checkpoint to resume from; null for a fresh start
 * @param controlCursor    the control-stream id after which this attempt's commands start
 * @param grant            the granted allocation: CPU, memory and the GPUs
 */
public record LaunchRequest(String sessionId, int attempt, TrainerProgram program, TrainerConfigFile configFile, Path checkpointDir,
                            Path resumeCheckpoint, String controlCursor, AllocationInfo grant) {
}
