package io.keisei.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Another service of the suite, started from its packaged jar as a real process, for tests that
 * need two services talking (e.g. training-service asking resource-service for allocations).
 */
public final class PackagedService implements AutoCloseable {

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
        Path repo = repoRoot();
        Path jar = repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build " + module + " first (the reactor builds it before this module)");
        }
        TestInfrastructure infra = TestInfrastructure.get();
        int port = io.keisei.infra.FreePorts.pick();
        try {
            Path log = Files.createTempFile(module + "-", ".log");
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put(portVariable, String.valueOf(port));
            env.put("KEISEI_DB_URL", infra.jdbcUrl());
            env.put("KEISEI_DB_USER", infra.dbUser());
            env.put("KEISEI_DB_PASSWORD", infra.dbPassword());
            env.put("KEISEI_REDIS_URL", infra.redisUrl());
            env.put("KEISEI_BIND_HOST", "127.0.0.1");
            env.put("KEISEI_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
            env.putAll(extraEnv);
            Process p = pb.start();
            PackagedService s = new PackagedService(p, port, log);
            s.awaitReady(Duration.ofSeconds(120));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited during start-up; log: " + tail());
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
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("service not ready within " + timeout + "; log: " + tail());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private String tail() {
        try {
            String s = Files.readString(log);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
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

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
