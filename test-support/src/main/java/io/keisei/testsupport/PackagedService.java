package io.keisei.testsupport;

import io.keisei.contracts.ServiceCredential;
import io.keisei.infra.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service of the suite started from its packaged jar as a real JVM process (no wrapper script, so
 * {@link #kill()} sends SIGKILL to the service itself), for tests that need services talking to each
 * other (e.g. training-service asking resource-service for allocations), several replicas of one, or a
 * crash in the middle of its work.
 */
public final class PackagedService implements AutoCloseable {

    /** The JVM options unless {@link Builder#jvmOptions} says otherwise: small, and quick to start. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code <repo>/<module>/target/quarkus-app/quarkus-run.jar} on a free port against the test
     * PostgreSQL and Redis, and waits until it is ready.
     */
    public static PackagedService start(String module, String portVariable, Map<String, String> extraEnv) {
        return of(module).port(portVariable).infrastructure(TestInfrastructure.get()).env(extraEnv).start();
    }

    /** A start of {@code <repo>/<module>/target/quarkus-app/quarkus-run.jar}, to configure. */
    public static Builder of(String module) {
        Path jar = repoRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        return new Builder(module, jar, " is missing: build " + module + " first (the reactor builds it before this module)");
    }

    /**
     * A start of this jar, called {@code name} in messages (e.g. the module's own
     * {@code target/quarkus-app/quarkus-run.jar} in a failsafe test).
     */
    public static Builder jar(String name, Path jar) {
        return new Builder(name, jar.toAbsolutePath(), " is missing: run through failsafe, after package");
    }

    /** What to start and how; {@link #start()} starts it and waits until it is ready. */
    public static final class Builder {

        private final String name;
        private final Path jar;
        private final String missing;
        private final Map<String, String> env = new LinkedHashMap<>();
        private List<String> jvmOptions = DEFAULT_JVM_OPTIONS;
        private String portVariable;
        private int port;
        private Path log;
        private Path directory;
        private Duration readyTimeout = Duration.ofSeconds(120);
        private boolean inheritKeiseiEnv = true;
        private boolean withoutCredential;

        private Builder(String name, Path jar, String missing) {
            this.name = name;
            this.jar = jar;
            this.missing = missing;
            env.put("KEISEI_BIND_HOST", "127.0.0.1");
            env.put("KEISEI_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
            env.put(ServiceCredential.ENV, TestServiceCredential.TOKEN);
        }

        /** The HTTP port, set through {@code variable} (e.g. KEISEI_METRICS_PORT). */
        public Builder port(String variable, int port) {
            this.portVariable = variable;
            this.port = port;
            return this;
        }

        /** A free HTTP port, set through {@code variable}. */
        public Builder port(String variable) {
            return port(variable, FreePorts.pick());
        }

        /** KEISEI_DB_URL, KEISEI_DB_USER, KEISEI_DB_PASSWORD and KEISEI_REDIS_URL of these servers. */
        public Builder infrastructure(TestInfrastructure infra) {
            env.put("KEISEI_DB_URL", infra.jdbcUrl());
            env.put("KEISEI_DB_USER", infra.dbUser());
            env.put("KEISEI_DB_PASSWORD", infra.dbPassword());
            env.put("KEISEI_REDIS_URL", infra.redisUrl());
            return this;
        }

        /**
         * More environment, over what is set so far (KEISEI_BIND_HOST=127.0.0.1, KEISEI_PARENT_PID and the test
         * service credential as KEISEI_SERVICE_TOKEN by default).
         */
        public Builder env(Map<String, String> more) {
            env.putAll(more);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Starts the service without KEISEI_SERVICE_TOKEN (it then refuses to start). */
        public Builder withoutServiceCredential() {
            env.remove(ServiceCredential.ENV);
            this.withoutCredential = true;
            return this;
        }

        /** Leaves out the KEISEI_* variables of the test's own environment, so only what is set here reaches the service. */
        public Builder withoutInheritedKeiseiEnv() {
            this.inheritKeiseiEnv = false;
            return this;
        }

        /** The JVM options, in place of {@link #DEFAULT_JVM_OPTIONS}. */
        public Builder jvmOptions(String... options) {
            this.jvmOptions = List.of(options);
            return this;
        }

        /** The file the output goes to, appended to (several processes may share one); a new temporary file when never called. */
        public Builder log(Path log) {
            this.log = log;
            return this;
        }

        /** The working directory of the process; the test's own when never called. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public PackagedService start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + missing);
            }
            if (portVariable == null) {
                throw new IllegalStateException("port(...) names the variable that sets " + name + "'s port");
            }
            try {
                Path out = log != null ? log : Files.createTempFile(name + "-", ".log");
                if (out.getParent() != null) {
                    Files.createDirectories(out.getParent());
                }
                List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command().orElse("java"));
                command.addAll(jvmOptions);
                command.addAll(List.of("-jar", jar.toString()));
                ProcessBuilder pb = new ProcessBuilder(command);
                if (directory != null) {
                    pb.directory(directory.toFile());
                }
                pb.redirectErrorStream(true);
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
                Map<String, String> penv = pb.environment();
                if (!inheritKeiseiEnv) {
                    penv.keySet().removeIf(k -> k.startsWith("KEISEI_"));
                }
                penv.putAll(env);
                if (withoutCredential) {
                    penv.remove(ServiceCredential.ENV);
                }
                penv.put(portVariable, String.valueOf(port));
                PackagedService s = new PackagedService(pb.start(), port, out);
                s.awaitReady(name, readyTimeout);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReady(String name, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; log: " + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException(name + " not ready within " + timeout + "; log: " + logTail());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The command line's program: the java binary itself, not a wrapper. */
    public String command() {
        return process.info().command().orElse("?");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file the service's output goes to. */
    public Path log() {
        return log;
    }

    /** The last 4,000 characters of the output. */
    public String logTail() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux); returns the exit status, 137. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + pid() + " survived SIGKILL");
        }
        return process.exitValue();
    }

    /** The repository root, found from the working directory (a module directory in Maven runs). */
    public static Path repoRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("keisei"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + System.getProperty("user.dir"));
        }
        return dir;
    }

    /**
     * SIGTERM, then SIGKILL after 30 s; processes it started (a training-service's trainers) and that
     * outlive it are SIGKILLed.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
