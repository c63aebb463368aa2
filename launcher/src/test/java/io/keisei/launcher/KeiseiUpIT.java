package io.keisei.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged suite as a user starts it: {@code keisei-launcher.jar up} with embedded PostgreSQL
 * and Redis, all four services as real processes. Uses its own ports and data directory.
 */
class KeiseiUpIT {

    private static final Path HOME = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = HOME.resolve("launcher/target/keisei-launcher.jar");
    private static final int GATEWAY = 18080;
    private static final int TRAINING = 18081;
    private static final int METRICS = 18082;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final String CREDENTIAL = "Keisei-Service-Credential";

    private final Path data = HOME.resolve("launcher/target/it-data");
    private String serviceToken;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            p.waitFor(90, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void upServesAllServicesStopsCleanlyAndKeepsData() throws Exception {
        deleteRecursively(data);

        Running first = up();
        assertThat(first.awaitLine("Keisei Web UI is ready", Duration.ofSeconds(240))).isTrue();
        assertThat(get(GATEWAY, "/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(GATEWAY, "/q/health/ready").body()).contains("\"status\": \"UP\"");
        String token = Files.readString(data.resolve("admin.token")).strip();
        assertThat(Files.getPosixFilePermissions(data.resolve("admin.token")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(first.output()).contains(token);
        // One service credential for the suite, generated into the data directory, owner-only; the internal
        // services refuse callers without it (health probes excepted) and listen on loopback only.
        serviceToken = Files.readString(data.resolve("service.token")).strip();
        assertThat(serviceToken).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.getPosixFilePermissions(data.resolve("service.token")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(first.output()).doesNotContain(serviceToken);
        for (int port : new int[]{TRAINING, METRICS, 18083}) {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("port %d without the credential", port).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(get(port, "/q/metrics").statusCode()).isEqualTo(200);
        }
        InetAddress external = nonLoopbackAddress();
        if (external != null) {
            assertThat(listens(external, GATEWAY)).as("gateway on %s", external).isTrue();
            for (int port : new int[]{TRAINING, METRICS, 18083}) {
                assertThat(listens(external, port)).as("internal service :%d on %s", port, external).isFalse();
            }
        }
        HttpResponse<String> me = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GATEWAY + "/api/v1/auth/me"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.body()).contains("\"role\":\"admin\"");

        // Across services through Redis: training-service publishes session.created, metrics-service
        // consumes it through its consumer group and stores it.
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TRAINING + "/sessions"))
                .header("Content-Type", "application/json").header(CREDENTIAL, serviceToken)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kept run\",\"owner\":\"alice\",\"template\":\"quick-cpu\","
                        + "\"config\":{\"training\":{\"steps_per_epoch\":256,\"minibatch_size\":64,\"tower_width\":16,\"tower_depth\":1},"
                        + "\"evaluation\":{\"num_games\":4}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String id = field(created.body(), "id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(METRICS, "/sessions/" + id + "/events").body()).contains("session.created"));

        // The suite trains for real: start the session, the built-in trainer runs and publishes, stop it.
        assertThat(post(TRAINING, "/sessions/" + id + "/start").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(get(TRAINING, "/sessions/" + id).body()).contains("\"state\":\"running\""));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get(METRICS, "/sessions/" + id + "/metrics/latest").body()).contains("ppo/policy_loss"));
        assertThat(post(TRAINING, "/sessions/" + id + "/stop").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(get(TRAINING, "/sessions/" + id).body()).contains("\"state\":\"stopped\""));
        assertThat(get(TRAINING, "/models?session=" + id).body()).contains("\"sha256\"");

        // A second launcher on the same data directory refuses to start.
        Process second = launcher();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("already running");

        // SIGTERM (what Ctrl-C and ./keisei down send) stops every child process.
        // PostgreSQL daemonises (pg_ctl), so it is not a descendant: check its pid file and port instead.
        List<ProcessHandle> children = first.process.descendants().toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(5);
        assertThat(data.resolve("postgres/postmaster.pid")).exists();
        first.process.destroy();
        assertThat(first.process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(first.process.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(data.resolve("postgres/postmaster.pid")));
        assertThat(io.keisei.infra.FreePorts.inUse(18432)).isFalse();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(first.output()).contains("PostgreSQL stopped", "Redis stopped", "gateway-service stopped"));

        // The next start keeps the data of the first.
        Running again = up();
        assertThat(again.awaitLine("Keisei Web UI is ready", Duration.ofSeconds(240))).isTrue();
        assertThat(get(TRAINING, "/sessions/" + id).body()).contains("kept run");
        assertThat(again.output()).contains("(from " + data.resolve("admin.token"));
        assertThat(Files.readString(data.resolve("service.token")).strip()).isEqualTo(serviceToken);
    }

    @Test
    void aBusyPortIsReportedInOneLine() throws Exception {
        deleteRecursively(data);
        try (ServerSocket busy = new ServerSocket(GATEWAY, 1, InetAddress.getLoopbackAddress())) {
            Process p = launcher();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(out).contains("port " + GATEWAY + " is already in use (needed by gateway-service)");
        }
    }

    private Running up() throws IOException {
        Path log = HOME.resolve("launcher/target/keisei-up-" + (started.size() + 1) + ".log");
        Files.deleteIfExists(log);
        Process p = launcher(log);
        started.add(p);
        return new Running(p, log);
    }

    private Process launcher() throws IOException {
        return launcher(null);
    }

    private Process launcher(Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString(), "up");
        pb.redirectErrorStream(true);
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KEISEI_"));
        env.putAll(new HashMap<>(Map.of(
                "KEISEI_HOME", HOME.toString(),
                "KEISEI_DATA_DIR", data.toString(),
                "KEISEI_GATEWAY_PORT", String.valueOf(GATEWAY),
                "KEISEI_TRAINING_PORT", String.valueOf(TRAINING),
                "KEISEI_METRICS_PORT", String.valueOf(METRICS),
                "KEISEI_RESOURCE_PORT", "18083",
                "KEISEI_EMBEDDED_DB_PORT", "18432",
                "KEISEI_EMBEDDED_REDIS_PORT", "18379")));
        return pb.start();
    }

    private HttpResponse<String> post(int port, String path) throws Exception {
        return HTTP.send(request(port, path).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(request(port, path).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request that carries the suite's service credential once it is known (the gateway ignores it). */
    private HttpRequest.Builder request(int port, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return serviceToken == null ? b : b.header(CREDENTIAL, serviceToken);
    }

    /** An address of this machine other than loopback, or null when it has none. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address) {
                    return a;
                }
            }
        }
        return null;
    }

    private static boolean listens(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertThat(m.find()).as("field %s in %s", name, json).isTrue();
        return m.group(1);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A launcher whose output goes to a file (a pipe could be held open by daemonised children). */
    private static final class Running {
        final Process process;
        final Path log;

        Running(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        boolean awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (output().contains(text)) {
                    return true;
                }
                if (!process.isAlive()) {
                    return output().contains(text);
                }
                Thread.sleep(200);
            }
            System.out.println(output());
            return false;
        }

        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
