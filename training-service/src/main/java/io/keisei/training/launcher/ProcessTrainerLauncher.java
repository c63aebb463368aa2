package io.keisei.training.launcher;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs each trainer attempt as a child process, output appended to the session's log file.
 * CPU pinning uses {@code taskset} when it exists (Linux); without it the trainer runs unpinned.
 * Trainers run with a lower scheduling priority (the idle class through {@code chrt}, else
 * {@code nice}) so that, on one machine, the control plane stays responsive while they use every
 * cycle left.
 */
@ApplicationScoped
@Typed(ProcessTrainerLauncher.class) // chosen by TrainerLaunchers
public class ProcessTrainerLauncher implements TrainerLauncher {

    private static final boolean TASKSET = Files.isExecutable(Path.of("/usr/bin/taskset"));
    private static final boolean NICE = Files.isExecutable(Path.of("/usr/bin/nice"));
    private static final boolean CHRT = Files.isExecutable(Path.of("/usr/bin/chrt"));

    private final int niceness;
    private final boolean idle;

    @jakarta.inject.Inject
    public ProcessTrainerLauncher(io.keisei.training.config.TrainingServiceConfig config) {
        this(config.trainer().nice(), config.trainer().idlePriority());
    }

    ProcessTrainerLauncher(int nice, boolean idlePriority) {
        this.niceness = Math.max(0, Math.min(19, nice));
        this.idle = idlePriority;
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public TrainerHandle launch(LaunchSpec spec) throws IOException {
        Files.createDirectories(spec.logFile().getParent());
        List<String> command = new ArrayList<>();
        if (CHRT && idle) {
            command.add("/usr/bin/chrt");
            command.add("--idle");
            command.add("0");
        }
        if (NICE && niceness > 0) {
            command.add("/usr/bin/nice");
            command.add("-n");
            command.add(String.valueOf(niceness));
        }
        if (TASKSET && !spec.cpuSet().isEmpty()) {
            command.add("/usr/bin/taskset");
            command.add("-c");
            command.add(spec.cpuSet().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        command.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(command).directory(spec.workDir().toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
        pb.environment().putAll(spec.environment());
        Process p = pb.start();
        return new ChildHandle(p);
    }

    @Override
    public Optional<TrainerHandle> reattach(String handleId, String session, int attempt) {
        if (handleId == null || !handleId.startsWith("pid:")) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(handleId.substring(4));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // A pid can be reused: only re-attach to a process whose command line names this session.
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(ph -> ph.info().commandLine().map(c -> c.contains(session)).orElse(false))
                .map(ForeignHandle::new);
    }

    /** A trainer started by this service instance: its exit code is known. */
    static final class ChildHandle implements TrainerHandle {
        private final Process process;
        private final CompletableFuture<Integer> exit;

        ChildHandle(Process process) {
            this.process = process;
            this.exit = process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public String id() {
            return "pid:" + process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void terminate() {
            process.destroy();
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** A trainer found again after a restart: alive or not, but its exit code is lost. */
    static final class ForeignHandle implements TrainerHandle {
        private final ProcessHandle handle;
        private final CompletableFuture<Integer> exit;

        ForeignHandle(ProcessHandle handle) {
            this.handle = handle;
            this.exit = handle.onExit().thenApply(h -> -1);
        }

        @Override
        public String id() {
            return "pid:" + handle.pid();
        }

        @Override
        public boolean isAlive() {
            return handle.isAlive();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public void terminate() {
            handle.destroy();
        }

        @Override
        public void kill() {
            handle.destroyForcibly();
        }
    }
}
