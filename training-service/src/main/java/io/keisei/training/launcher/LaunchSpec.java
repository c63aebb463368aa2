package io.keisei.training.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a launcher needs to start one trainer attempt.
 *
 * @param command     the full command line (built from the built-in trainer or an allow-listed template)
 * @param environment extra environment (CUDA_VISIBLE_DEVICES, KEISEI_* for custom trainers)
 * @param cpuSet      CPU cores to pin the trainer to where the platform allows, empty for no pinning
 * @param logFile     where stdout and stderr go (appended)
 * @param configFile  the attempt's config file named in the command (null when unknown)
 * @param resources   what the allocation granted (null when unknown): requests and limits of a Job
 */
public record LaunchSpec(String session, int attempt, List<String> command, Map<String, String> environment,
                         Path workDir, Path logFile, List<Integer> cpuSet, Path configFile, Resources resources) {

    public LaunchSpec(String session, int attempt, List<String> command, Map<String, String> environment,
                      Path workDir, Path logFile, List<Integer> cpuSet) {
        this(session, attempt, command, environment, workDir, logFile, cpuSet, null, null);
    }

    /** The granted allocation: CPU in millicores, memory in MiB, whole GPUs. */
    public record Resources(int cpuMillis, int memoryMb, int gpus) {
    }
}
