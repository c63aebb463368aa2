package io.keisei.cli;

import io.keisei.testsupport.PackagedService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@code ./keisei} script as a user runs it, as a process: with pipes ({@link #run}), or on a real terminal
 * ({@link #onTerminal}: util-linux {@code script} gives it a pseudo-terminal, so the CLI sees a tty as it would in
 * a shell). Its environment is only what is set here: a HOME, config and cache directory of the test's own.
 */
final class KeiseiScript {

    static final Path ROOT = PackagedService.repoRoot();

    /** What a finished run gave. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new TreeMap<>();

    KeiseiScript(Path home) {
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        env.put("LANG", "C.UTF-8");
        env.put("TERM", "xterm");
        String javaHome = System.getProperty("java.home");
        env.put("JAVA_HOME", javaHome);
        env.put("PATH", javaHome + "/bin:" + System.getenv("PATH"));
    }

    KeiseiScript env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    Path configFile() {
        return Path.of(env.get("XDG_CONFIG_HOME"), "keisei", "config.json");
    }

    Result run(String... args) throws Exception {
        return runWithInput(null, args);
    }

    Result runWithInput(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("keisei").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("keisei-out", ".txt");
        Path err = Files.createTempFile("keisei-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("keisei " + String.join(" ", args) + " did not finish in 120 s");
        }
        try {
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts {@code shellCommand} (e.g. {@code ./keisei sessions watch ID}) on a pseudo-terminal; everything it
     * writes to the terminal lands in {@code transcript}. The process's exit status is the command's. With
     * {@code typing}, the process's stdin is what is typed on that terminal (write to it); else it is empty.
     */
    Process onTerminal(String shellCommand, Path transcript, boolean typing) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", shellCommand, "/dev/null").directory(ROOT.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(transcript.toFile()).redirectErrorStream(true);
        if (!typing) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        return pb.start();
    }

    static String quote(String... words) {
        return java.util.Arrays.stream(words).map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }
}
