package io.keisei.e2e;

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
 * The whole suite as a user starts it ({@code keisei-launcher.jar up}, as {@code launcher}'s KeiseiUpIT does):
 * embedded PostgreSQL and Redis, the four services and real built-in trainers, on ports of its own
 * (28080-28083, 28432, 28379) with a fresh data directory under {@code e2e/target}. Stopped with SIGTERM.
 *
 * <p>With {@code -Dkeisei.e2e.base-url=http://host:port -Dkeisei.e2e.admin-token=...} the tests use a suite
 * that is already running instead.
 */
final class KeiseiSuite implements AutoCloseable {

    static final Path HOME = Path.of(System.getProperty("user.dir")).getParent();
    static final Path OUTPUT = Path.of(System.getProperty("keisei.e2e.output", HOME.resolve("e2e/target").toString()));
    private static final int GATEWAY = 28080;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String baseUrl;
    final String adminToken;
    private final Process process;
    private final Path log;
    private boolean closed;

    private KeiseiSuite(String baseUrl, String adminToken, Process process, Path log) {
        this.baseUrl = baseUrl;
        this.adminToken = adminToken;
        this.process = process;
        this.log = log;
    }

    static KeiseiSuite start() throws Exception {
        String external = System.getProperty("keisei.e2e.base-url");
        if (external != null && !external.isBlank()) {
            String token = System.getProperty("keisei.e2e.admin-token", System.getenv().getOrDefault("KEISEI_ADMIN_TOKEN", ""));
            return new KeiseiSuite(external.replaceAll("/+$", ""), token, null, null);
        }
        Path jar = HOME.resolve("launcher/target/keisei-launcher.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the suite is not packaged (" + jar + " is missing): run ./mvnw verify from the root");
        }
        Path data = OUTPUT.resolve("e2e-data");
        deleteRecursively(data);
        Files.createDirectories(OUTPUT);
        Path log = OUTPUT.resolve("keisei-up.log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar.toString(), "up");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());   // a file, not a pipe: daemonised children could hold a pipe open
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KEISEI_"));
        env.putAll(Map.of(
                "KEISEI_HOME", HOME.toString(),
                "KEISEI_DATA_DIR", data.toString(),
                "KEISEI_GATEWAY_PORT", String.valueOf(GATEWAY),
                "KEISEI_TRAINING_PORT", "28081",
                "KEISEI_METRICS_PORT", "28082",
                "KEISEI_RESOURCE_PORT", "28083",
                "KEISEI_EMBEDDED_DB_PORT", "28432",
                "KEISEI_EMBEDDED_REDIS_PORT", "28379",
                "KEISEI_START_TIMEOUT_SECONDS", "300"));
        // keisei-train (Keisei 2026) registered as an operator would with environment variables (a letters-only name):
        // the dashboard offers its template and form; it is never started here (Keisei cannot be installed).
        env.put("KEISEI_TRAINING_TRAINER_CUSTOM_KEISEITRAIN",
                "python3 " + HOME.resolve("examples/keisei-bridge/keisei_train_webui.py") + " {config}");
        env.put("KEISEI_TRAINING_TRAINER_DIALECT_KEISEITRAIN", "keisei-2026");
        Process p = pb.start();
        KeiseiSuite suite = new KeiseiSuite("http://127.0.0.1:" + GATEWAY, null, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(330);
        while (!suite.output().contains("Keisei Web UI is ready")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String out = suite.output();
                suite.close();
                throw new IllegalStateException("the suite did not start:\n" + out);
            }
            Thread.sleep(250);
        }
        String token = Files.readString(data.resolve("admin.token")).strip();
        return new KeiseiSuite(suite.baseUrl, token, p, log);
    }

    String output() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Calls the API as admin (setup that the UI does not do, such as creating tokens). */
    HttpResponse<String> api(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A config light enough for a 2-core machine: a tiny model, short epochs, four evaluation games. */
    static final String TINY_CONFIG = "{\"training\":{\"steps_per_epoch\":256,\"minibatch_size\":64,\"tower_width\":16,\"tower_depth\":1},"
            + "\"evaluation\":{\"num_games\":4}}";
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"");

    /** Creates a session from the quick-cpu template with {@code configJson} over it; answers its id. */
    String createSession(String name, String configJson) throws Exception {
        HttpResponse<String> r = api("POST", "/sessions", "{\"name\":\"" + name + "\",\"template\":\"quick-cpu\",\"config\":" + configJson + "}");
        java.util.regex.Matcher m = ID.matcher(r.body());
        if (r.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("cannot create session " + name + ": " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** Starts a session and waits until its first metric points are stored. */
    void startAndAwaitMetrics(String id) throws Exception {
        HttpResponse<String> r = api("POST", "/sessions/" + id + "/start", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("cannot start " + id + ": " + r.statusCode() + " " + r.body());
        }
        awaitBody("/sessions/" + id + "/metrics?names=ppo/policy_loss", "[[", 180);
    }

    /** Pauses a running session and waits until it is paused (the pages hold still for timings and pictures). */
    void pauseAndAwait(String id) throws Exception {
        HttpResponse<String> r = api("POST", "/sessions/" + id + "/pause", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("cannot pause " + id + ": " + r.statusCode() + " " + r.body());
        }
        awaitBody("/sessions/" + id, "\"state\":\"paused\"", 120);
    }

    private void awaitBody(String path, String contains, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!api("GET", path, null).body().contains(contains)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " did not show " + contains + " within " + seconds + " s");
            }
            Thread.sleep(500);
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed || process == null) {
            return;
        }
        closed = true;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();                                // SIGTERM: the launcher stops everything in order
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
