package io.keisei.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The packaged suite started as {@code ./keisei up} starts it (the launcher jar, embedded PostgreSQL and Redis,
 * the four services as processes under the launcher's supervision), on ports and a data directory of its own.
 */
final class ChaosSuite implements AutoCloseable {

    /** Where the packaged suite is: this checkout, or a copy of its artifacts (keisei.chaos.home). */
    static final Path HOME = Path.of(System.getProperty("keisei.chaos.home",
            Path.of(System.getProperty("user.dir")).getParent().toString()));
    static final int GATEWAY = 21080;
    static final int DB = 21432;
    static final int REDIS = 21379;
    /** Component name in the launcher's status file → its HTTP port (services only). */
    static final Map<String, Integer> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("gateway-service", GATEWAY);
        SERVICES.put("training-service", 21081);
        SERVICES.put("metrics-service", 21082);
        SERVICES.put("resource-service", 21083);
    }

    static final List<String> COMPONENTS = List.of("postgresql", "redis", "gateway-service", "training-service",
            "metrics-service", "resource-service");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    final Path data;
    final Path log;
    private final Process launcher;
    private String token;

    private ChaosSuite(Path data, Path log, Process launcher) {
        this.data = data;
        this.log = log;
        this.launcher = launcher;
    }

    static ChaosSuite up(Path output) throws IOException {
        Path data = output.resolve("chaos-data");
        deleteRecursively(data);
        Path log = output.resolve("chaos-keisei-up.log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                HOME.resolve("launcher/target/keisei-launcher.jar").toString(), "up");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KEISEI_"));
        env.put("KEISEI_HOME", HOME.toString());
        env.put("KEISEI_DATA_DIR", data.toString());
        env.put("KEISEI_GATEWAY_PORT", String.valueOf(GATEWAY));
        env.put("KEISEI_TRAINING_PORT", String.valueOf(SERVICES.get("training-service")));
        env.put("KEISEI_METRICS_PORT", String.valueOf(SERVICES.get("metrics-service")));
        env.put("KEISEI_RESOURCE_PORT", String.valueOf(SERVICES.get("resource-service")));
        env.put("KEISEI_EMBEDDED_DB_PORT", String.valueOf(DB));
        env.put("KEISEI_EMBEDDED_REDIS_PORT", String.valueOf(REDIS));
        // Three CPU trainers on a small machine: the pool is declared large enough to admit all of them.
        env.put("KEISEI_RESOURCES_LOCAL_CPU_MILLIS", "16000");
        // A reconnecting client is replayed up to this many messages (GapAudit.REPLAY_LIMIT).
        env.put("KEISEI_WS_REPLAY_LIMIT", "5000");
        return new ChaosSuite(data, log, pb.start());
    }

    boolean launcherAlive() {
        return launcher.isAlive();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    String token() throws IOException {
        if (token == null) {
            token = Files.readString(data.resolve("admin.token")).strip();
        }
        return token;
    }

    /** The launcher's status file: component name → its row. */
    Map<String, JsonNode> status() {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(data.resolve("status.json").toFile());
            for (JsonNode c : root.path("components")) {
                rows.put(c.path("name").asText(), c);
            }
        } catch (IOException e) {
            // written atomically, but may not exist yet
        }
        return rows;
    }

    long pid(String component) {
        JsonNode row = status().get(component);
        if (row == null || !row.hasNonNull("pid")) {
            throw new IllegalStateException(component + " has no pid in the status file");
        }
        return row.path("pid").asLong();
    }

    int restarts(String component) {
        JsonNode row = status().get(component);
        return row == null ? -1 : row.path("restarts").asInt();
    }

    /**
     * Every component running in the status file and every service live, ready and well (its Redis, PostgreSQL,
     * outbox and stream lag fine: readiness alone stays UP through a dependency's outage, by design).
     */
    boolean allHealthy() {
        Map<String, JsonNode> rows = status();
        for (String c : COMPONENTS) {
            JsonNode row = rows.get(c);
            if (row == null || !"running".equals(row.path("state").asText())) {
                return false;
            }
        }
        for (int port : SERVICES.values()) {
            if (health(port, "/q/health/ready") != 200 || health(port, "/q/health/live") != 200
                    || health(port, "/q/health/well") != 200) {
                return false;
            }
        }
        return true;
    }

    /** The components that are not healthy, for messages. */
    String unhealthy() {
        StringBuilder sb = new StringBuilder();
        Map<String, JsonNode> rows = status();
        for (String c : COMPONENTS) {
            JsonNode row = rows.get(c);
            String state = row == null ? "absent" : row.path("state").asText();
            Integer port = SERVICES.get(c);
            String ready = port == null ? "" : " ready=" + health(port, "/q/health/ready") + " well=" + health(port, "/q/health/well");
            sb.append(c).append('=').append(state).append(ready).append("; ");
        }
        return sb.toString();
    }

    static int health(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A call to the public API through the gateway; a failure to connect answers status -1. */
    Answer api(String method, String path, String body) {
        long t0 = System.nanoTime();
        try {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GATEWAY + "/api/v1" + path))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token());
            if (body != null) {
                rb.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = HTTP.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Retry-After"),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (Exception e) {
            return new Answer(-1, String.valueOf(e), Optional.empty(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    record Answer(int status, String body, Optional<String> retryAfter, long millis) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Connection db() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "30");
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:" + DB + "/keisei", p);
    }

    String redisUrl() {
        return "redis://127.0.0.1:" + REDIS;
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = launcher.descendants().toList();
        launcher.destroy();
        if (!launcher.waitFor(90, TimeUnit.SECONDS)) {
            launcher.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
