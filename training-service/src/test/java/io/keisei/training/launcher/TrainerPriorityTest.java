package io.keisei.training.launcher;

import io.keisei.contracts.AllocationInfo;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.SessionFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Trainer processes yield the CPU to the services: idle scheduling class and niceness, as configured. */
class TrainerPriorityTest {

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;

    /** Fields of /proc/PID/stat after the command name: index 0 is field 3 (state). */
    private static String[] stat(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ");
    }

    /** The launcher settings that matter here: niceness and the idle class. */
    record Settings(int nice, boolean idlePriority) implements TrainingServiceConfig.Trainer {
        public String jar() {
            return "unused.jar";
        }

        public Optional<String> java() {
            return Optional.empty();
        }

        public String jvmOptions() {
            return "";
        }

        public Map<String, String> custom() {
            return Map.of();
        }

        @Override
        public Map<String, String> dialect() {
            return Map.of();
        }

        public Optional<String> customWorkDir() {
            return Optional.empty();
        }
    }

    private static ProcessTrainerLauncher launcher(Path dir, int nice, boolean idle) {
        return new ProcessTrainerLauncher(new SessionFiles(dir), new TrainerInvocation("redis://127.0.0.1:1"),
                new Settings(nice, idle));
    }

    private static long launch(ProcessTrainerLauncher launcher, Path dir) throws Exception {
        LaunchRequest r = new LaunchRequest("prio-test", 1, new TrainerProgram("sleep", List.of("sleep", "30")), new TrainerConfigFile("config.json", "{}"),
                dir.resolve("checkpoints"), null, "0-0", new AllocationInfo("a", "local", 1000, 512, List.of(), null, null));
        TrainerHandle h = launcher.launch(r);
        long pid = Long.parseLong(h.id().substring(4));
        // chrt and nice exec the command: wait until the process is sleep itself.
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals("sleep") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return pid;
    }

    @Test
    void trainersRunInTheIdleClassAndNiced(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chrt")) && Files.isDirectory(Path.of("/proc/self")), "Linux with chrt");
        long pid = launch(launcher(dir, 10, true), dir);
        try {
            String[] f = stat(pid);
            assertThat(Integer.parseInt(f[41 - 3])).as("scheduling policy").isEqualTo(SCHED_IDLE);
            assertThat(Integer.parseInt(f[19 - 3])).as("nice").isEqualTo(10);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void withoutIdlePriorityTheyAreOnlyNiced(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux");
        long pid = launch(launcher(dir, 7, false), dir);
        try {
            String[] f = stat(pid);
            assertThat(Integer.parseInt(f[41 - 3])).as("scheduling policy").isEqualTo(SCHED_OTHER);
            assertThat(Integer.parseInt(f[19 - 3])).as("nice").isEqualTo(7);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
