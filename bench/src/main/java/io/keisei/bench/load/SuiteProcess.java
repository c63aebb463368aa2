package io.keisei.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The suite started by the harness itself: {@code keisei-launcher.jar up} on its own ports and a
 * throw-away data directory, with limits raised so that the load, not a guard rail, is measured.
 */
public final class SuiteProcess implements AutoCloseable {

    public static final int GATEWAY = 24080;

    private final Process process;
    private final Path data;

    private SuiteProcess(Process process, Path data) {
        this.process = process;
        this.data = data;
    }

    public static SuiteProcess start(Path home, Path data, int wsConnections) throws IOException, InterruptedException {
        return start(home, data, wsConnections, Map.of());
    }

    /** As {@link #start(Path, Path, int)}, with more environment for the services (a scenario's own settings). */
    public static SuiteProcess start(Path home, Path data, int wsConnections, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        deleteRecursively(data);
        Files.createDirectories(data);
        Path jar = home.resolve("launcher/target/keisei-launcher.jar");
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: build first (./mvnw -B package -DskipTests)");
        }
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString(), "up");
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("launcher.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KEISEI_"));
        env.put("KEISEI_HOME", home.toString());
        env.put("KEISEI_DATA_DIR", data.toString());
        env.put("KEISEI_GATEWAY_PORT", String.valueOf(GATEWAY));
        env.put("KEISEI_TRAINING_PORT", "24081");
        env.put("KEISEI_METRICS_PORT", "24082");
        env.put("KEISEI_RESOURCE_PORT", "24083");
        env.put("KEISEI_EMBEDDED_DB_PORT", "24432");
        env.put("KEISEI_EMBEDDED_REDIS_PORT", "24379");
        // Guard rails raised: the harness measures capacity, not the limits meant for users.
        env.put("KEISEI_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("KEISEI_WS_MAX_CONNECTIONS", String.valueOf(wsConnections));
        env.put("KEISEI_RESOURCES_LOCAL_CPU_MILLIS", "64000");
        env.put("KEISEI_RESOURCES_LOCAL_MEMORY_MB", "65536");
        env.putAll(extraEnv);
        Process p = pb.start();
        SuiteProcess suite = new SuiteProcess(p, data);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!suite.log().contains("Keisei Web UI is ready")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                suite.close();
                throw new IOException("the suite did not start:\n" + suite.log());
            }
            Thread.sleep(250);
        }
        return suite;
    }

    public URI gateway() {
        return URI.create("http://127.0.0.1:" + GATEWAY);
    }

    public String adminToken() throws IOException {
        return Files.readString(data.resolve("admin.token")).strip();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** PostgreSQL and Redis of this suite, for the raw baselines. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:24432/keisei";
    }

    public String redisHost() {
        return "127.0.0.1";
    }

    public int redisPort() {
        return 24379;
    }

    String log() {
        try {
            return Files.readString(data.resolve("launcher.log"));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        process.waitFor(90, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static boolean ready(URI base) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
