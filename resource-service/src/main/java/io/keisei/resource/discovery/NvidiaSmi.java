package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one nvidia-smi GPU query with a timeout. Output goes to temporary files rather than pipes,
 * so a hung nvidia-smi (or a child it left behind holding the pipe) can never block the caller:
 * on timeout the process and its descendants are killed and the query counts as failed.
 */
public final class NvidiaSmi {

    /** The outcome of one query: the GPUs, or why there are none. */
    public record Result(List<GpuStatus> gpus, String failure) {

        public static Result ok(List<GpuStatus> gpus) {
            return new Result(List.copyOf(gpus), null);
        }

        public static Result failed(String why) {
            return new Result(List.of(), why);
        }

        public boolean succeeded() {
            return failure == null;
        }
    }

    private final String command;
    private final Duration timeout;
    private final Map<String, String> environment;

    public NvidiaSmi(String command, Duration timeout) {
        this(command, timeout, Map.of());
    }

    /** @param environment variables set for nvidia-smi on top of this process's (e.g. PATH in tests) */
    public NvidiaSmi(String command, Duration timeout, Map<String, String> environment) {
        this.command = command;
        this.timeout = timeout;
        this.environment = Map.copyOf(environment);
    }

    public Result query() {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("keisei-nvidia-smi-", ".out");
            err = Files.createTempFile("keisei-nvidia-smi-", ".err");
            List<String> cmd = new ArrayList<>();
            cmd.add(resolve(command));
            cmd.addAll(NvidiaSmiParser.ARGUMENTS);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(environment);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return Result.failed("cannot run '" + command + "': " + e.getMessage());
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return Result.failed("'" + command + "' did not answer within " + timeout.toMillis() + " ms; killed");
            }
            if (p.exitValue() != 0) {
                String message = Files.readString(err, StandardCharsets.UTF_8).strip();
                if (message.isEmpty()) {
                    message = Files.readString(out, StandardCharsets.UTF_8).strip();
                }
                return Result.failed("'" + command + "' exited with code " + p.exitValue()
                        + (message.isEmpty() ? "" : ": " + firstLine(message)));
            }
            return Result.ok(NvidiaSmiParser.parse(Files.readString(out, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return Result.failed(e.getMessage());
        } catch (IOException e) {
            return Result.failed("cannot read the output of '" + command + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        } finally {
            delete(out);
            delete(err);
        }
    }

    /**
     * A bare name is looked up on the PATH given to nvidia-smi (so tests can put a fake first);
     * ProcessBuilder itself would look only at this JVM's PATH.
     */
    private String resolve(String cmd) {
        String path = environment.get("PATH");
        if (cmd.contains("/") || path == null) {
            return cmd;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, cmd);
            if (Files.isExecutable(candidate) && Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        return cmd;
    }

    private static void kill(Process p) {
        // Children first: a shell script's "sleep" would otherwise outlive it.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
