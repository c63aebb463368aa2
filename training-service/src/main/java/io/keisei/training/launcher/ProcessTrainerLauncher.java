package io.keisei.training.launcher;

import io.keisei.contracts.ServiceCredential;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.SessionFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Runs each trainer attempt as a child process in the session directory, its config written to a
 * file there and its output appended to the session's log file. Trainers run with a lower scheduling priority (the idle class through {@code chrt}, else
 * {@code nice}) so that, on one machine, the control plane stays responsive while they use every
 * cycle left. A trainer inherits this service's environment without its secrets (see
 * {@link #withoutServiceSecrets}): it gets the Redis URL through KEISEI_REDIS_URL, never a service credential.
 */
@ApplicationScoped
@Typed(ProcessTrainerLauncher.class) // chosen by TrainerLaunchers
public class ProcessTrainerLauncher implements TrainerLauncher {

    private static final boolean NICE = Files.isExecutable(Path.of("/usr/bin/nice"));
    private static final boolean CHRT = Files.isExecutable(Path.of("/usr/bin/chrt"));

    private final SessionFiles files;
    private final TrainerInvocation invocation;
    private final TrainingServiceConfig.Trainer trainer;
    private final int niceness;
    private final boolean idle;
    private final Map<String, String> inherited;

    @Inject
    public ProcessTrainerLauncher(SessionFiles files, TrainerInvocation invocation, TrainingServiceConfig config) {
        this(files, invocation, config.trainer());
    }

    ProcessTrainerLauncher(SessionFiles files, TrainerInvocation invocation, TrainingServiceConfig.Trainer trainer) {
        this(files, invocation, trainer, System.getenv());
    }

    /** @param serviceEnvironment this service's own environment, which trainers inherit less its secrets */
    ProcessTrainerLauncher(SessionFiles files, TrainerInvocation invocation, TrainingServiceConfig.Trainer trainer,
                           Map<String, String> serviceEnvironment) {
        this.files = files;
        this.invocation = invocation;
        this.trainer = trainer;
        this.niceness = Math.max(0, Math.min(19, trainer.nice()));
        this.idle = trainer.idlePriority();
        this.inherited = withoutServiceSecrets(serviceEnvironment);
    }

    /**
     * What a trainer inherits of this service's environment: everything (PATH, HOME, a Python virtualenv, the
     * trainer's own KEISEI_TRAINER_* knobs) except what only the service may hold: the service credential, the
     * admin token, the database settings, anything named like a token, password or secret, and the QUARKUS_*
     * form of any key. A trainer is user-chosen code that talks to Redis only.
     */
    static Map<String, String> withoutServiceSecrets(Map<String, String> env) {
        Map<String, String> kept = new TreeMap<>(env);
        kept.keySet().removeIf(ProcessTrainerLauncher::isServiceSecret);
        return Map.copyOf(kept);
    }

    static boolean isServiceSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.equals(ServiceCredential.ENV) || n.startsWith("QUARKUS_") || n.startsWith("KEISEI_DB_")
                || (n.startsWith("KEISEI_") && (n.contains("TOKEN") || n.contains("PASSWORD") || n.contains("SECRET")));
    }

    @Override
    public String kind() {
        return "process";
    }

    /** A grant waiting for Kueue's admission is for a Job; a local child would run without it. */
    private static void refuseKueue(io.keisei.contracts.AllocationInfo grant) throws IOException {
        if (grant != null && grant.kueueQueue() != null) {
            throw new IOException("the allocation was handed to Kueue (LocalQueue '" + grant.kueueQueue()
                    + "'): trainers must run as Jobs (keisei.training.launcher=kubernetes, KEISEI_TRAINING_LAUNCHER)");
        }
    }

    /** Writes the attempt's config file into the session directory and starts the trainer beside it. */
    @Override
    public TrainerHandle launch(LaunchRequest r) throws IOException {
        refuseKueue(r.grant());
        Path configFile = files.config(r.sessionId(), r.attempt(), r.configFile().fileName());
        Files.createDirectories(configFile.getParent());
        Files.writeString(configFile, r.configFile().content());
        Files.createDirectories(r.checkpointDir());
        Path log = files.log(r.sessionId());
        Files.createDirectories(log.getParent());

        List<String> command = schedulingPrefix();
        if (r.program().isBuiltin()) {
            command.addAll(builtinJar());
        }
        command.addAll(invocation.arguments(r, configFile.toString()));
        Path workDir = !r.program().isBuiltin() && trainer.customWorkDir().isPresent()
                ? Path.of(trainer.customWorkDir().get()) : files.dir(r.sessionId());
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(inherited);
        env.putAll(invocation.environment(r, configFile.toString()));
        Process p = pb.start();
        return new ChildHandle(p);
    }

    /** Starts the match in its evaluation directory, its output appended to the match log. */
    @Override
    public TrainerHandle launchMatch(MatchLaunch m) throws IOException {
        refuseKueue(m.grant());
        List<String> command = schedulingPrefix();
        command.addAll(builtinJar());
        command.addAll(m.arguments());
        Files.createDirectories(m.workDir());
        ProcessBuilder pb = new ProcessBuilder(command).directory(m.workDir().toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(m.logFile().toFile()));
        pb.environment().clear();
        pb.environment().putAll(inherited);
        pb.environment().putAll(invocation.environment(m));
        return new ChildHandle(pb.start());
    }

    @Override
    public Optional<TrainerHandle> reattachMatch(String handleId, String evaluationId) {
        return reattach(handleId, evaluationId, 0);
    }

    /** Trainers give way to the services: Linux's idle class where it exists, niced otherwise. */
    private List<String> schedulingPrefix() {
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
        return command;
    }

    private List<String> builtinJar() {
        List<String> command = new ArrayList<>();
        command.add(trainer.java().orElse(ProcessHandle.current().info().command().orElse("java")));
        for (String opt : trainer.jvmOptions().trim().split("\\s+")) {
            if (!opt.isBlank()) {
                command.add(opt);
            }
        }
        command.add("-jar");
        command.add(Path.of(trainer.jar()).toAbsolutePath().toString());
        return command;
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
