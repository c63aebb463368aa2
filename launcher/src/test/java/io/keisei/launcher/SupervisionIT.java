package io.keisei.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Supervision in the packaged suite: a service and Redis killed with SIGKILL come back without anyone acting,
 * Redis with its data (append-only file), and {@code status} shows the restarts. Own ports and data directory.
 */
class SupervisionIT {

    private static final Path HOME = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path JAR = HOME.resolve("launcher/target/keisei-launcher.jar");
    private static final int METRICS = 19082;
    private static final int REDIS = 19379;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path data = HOME.resolve("launcher/target/it-supervision-data");
    private final Path log = HOME.resolve("launcher/target/keisei-up-supervision.log");
    private Process launcher;

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            List<ProcessHandle> children = launcher.descendants().toList();
            launcher.destroy();
            launcher.waitFor(90, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aKilledServiceAndAKilledRedisAreRestartedAndStatusShowsIt() throws Exception {
        deleteRecursively(data);
        Files.deleteIfExists(log);
        ProcessBuilder pb = command("up");
        pb.redirectOutput(log.toFile());
        launcher = pb.start();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> output().contains("Keisei Web UI is ready") || !launcher.isAlive());
        assertThat(output()).contains("Keisei Web UI is ready");
        Path status = data.resolve("status.json");
        await().atMost(Duration.ofSeconds(10)).until(() -> row(status, "metrics-service") != null);
        assertThat(StatusFile.read(status)).extracting(StatusFile.Row::name)
                .containsExactly("postgresql", "redis", "gateway-service", "training-service", "metrics-service", "resource-service");

        // SIGKILL of metrics-service: restarted after 1 s, healthy again, one restart in the status file.
        long metricsPid = row(status, "metrics-service").pid();
        assertThat(ProcessHandle.of(metricsPid)).isPresent();
        ProcessHandle.of(metricsPid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusFile.Row r = row(status, "metrics-service");
            assertThat(r.state()).isEqualTo("running");
            assertThat(r.restarts()).isEqualTo(1);
            assertThat(r.pid()).isNotEqualTo(metricsPid);
            assertThat(r.lastExit()).isEqualTo("code 137");
        });
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + METRICS + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        assertThat(output()).contains("metrics-service exited (code 137) after", "restarting in 1 s (restart 1)");

        // SIGKILL of Redis: restarted from its append-only file, so what was written before is still there.
        assertThat(redis("SET keisei-supervision kept")).startsWith("+OK");
        long redisPid = row(status, "redis").pid();
        ProcessHandle.of(redisPid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusFile.Row r = row(status, "redis");
            assertThat(r.state()).isEqualTo("running");
            assertThat(r.restarts()).isEqualTo(1);
            assertThat(r.pid()).isNotEqualTo(redisPid);
        });
        assertThat(redis("GET keisei-supervision")).contains("kept");
        assertThat(output()).contains("redis exited (code unknown) after");

        // SIGKILL of PostgreSQL's postmaster: restarted through crash recovery, committed data kept, services reconnect.
        try (Connection c = db(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE supervision_it (v text)");
            st.execute("INSERT INTO supervision_it VALUES ('kept')");
        }
        long pgPid = row(status, "postgresql").pid();
        ProcessHandle.of(pgPid).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusFile.Row r = row(status, "postgresql");
            assertThat(r.state()).isEqualTo("running");
            assertThat(r.pid()).isNotEqualTo(pgPid);
        });
        try (Connection c = db(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT v FROM supervision_it")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
        for (int port = 19080; port <= 19083; port++) {
            int p = port;
            // Readiness stays UP through an outage (degraded, not dead); wellness says PostgreSQL is back for it.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + p + "/q/health/well")).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).as("wellness of :%d after the PostgreSQL restart", p).isEqualTo(200));
        }

        // ./keisei status: one row per component with its restarts.
        Process st = command("status").start();
        String table = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(table).contains("COMPONENT", "RESTARTS", "UPTIME", "LAST EXIT");
        assertThat(table).containsPattern("metrics-service\\s+19082\\s+ready\\s+\\d+\\s+1\\s+.*code 137");
        assertThat(table).containsPattern("redis\\s+19379\\s+running\\s+\\d+\\s+1\\s+");
        assertThat(table).containsPattern("gateway-service\\s+19080\\s+ready\\s+\\d+\\s+0\\s+");

        System.out.println(table);
        assertThat(row(status, "postgresql").restarts()).isGreaterThanOrEqualTo(1);

        // A SIGKILLed launcher leaves PostgreSQL and Redis running (the services follow it out): the next up stops
        // them cleanly and starts its own.
        launcher.destroyForcibly();
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(row(status, "postgresql").pid()).map(ProcessHandle::isAlive)).hasValue(true);
        Path again = HOME.resolve("launcher/target/keisei-up-supervision-2.log");
        Files.deleteIfExists(again);
        ProcessBuilder pb2 = command("up");
        pb2.redirectOutput(again.toFile());
        launcher = pb2.start();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(again).contains("Keisei Web UI is ready") || !launcher.isAlive());
        String second = Files.readString(again);
        System.out.println(second);
        assertThat(second).contains("Keisei Web UI is ready", "PostgreSQL of an earlier launcher still runs",
                "Redis of an earlier launcher still runs");
        assertThat(redis("GET keisei-supervision")).contains("kept");

        launcher.destroy();
        assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue()).isZero();
        assertThat(status).doesNotExist();
    }

    private static Connection db() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        return new org.postgresql.Driver().connect("jdbc:postgresql://127.0.0.1:19432/keisei", p);
    }

    private static StatusFile.Row row(Path status, String name) {
        return StatusFile.read(status).stream().filter(r -> name.equals(r.name())).findFirst().orElse(null);
    }

    private static String redis(String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", REDIS), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            StringBuilder sb = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                if (sb.toString().startsWith("+") || sb.toString().startsWith("-") || sb.toString().startsWith("$-1")
                        || sb.toString().split("\r\n").length >= 2) {
                    break;
                }
            }
            return sb.toString();
        }
    }

    private ProcessBuilder command(String command) {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString(), command);
        pb.redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KEISEI_"));
        env.putAll(new HashMap<>(Map.of(
                "KEISEI_HOME", HOME.toString(),
                "KEISEI_DATA_DIR", data.toString(),
                "KEISEI_GATEWAY_PORT", "19080",
                "KEISEI_TRAINING_PORT", "19081",
                "KEISEI_METRICS_PORT", String.valueOf(METRICS),
                "KEISEI_RESOURCE_PORT", "19083",
                "KEISEI_EMBEDDED_DB_PORT", "19432",
                "KEISEI_EMBEDDED_REDIS_PORT", String.valueOf(REDIS))));
        return pb;
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
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
