package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.infra.FreePorts;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import io.keisei.testsupport.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public API and the live hub of the gateway against the real suite (all services, a real
 * built-in trainer), as users reach it: only through /api/v1 and /ws, with tokens of each role.
 * A second gateway replica joins half-way to show that replicas serve the same clients.
 *
 * <p>The suite is the four packaged services (the reactor builds shogi-trainer and the other
 * services before this module; failsafe runs this after {@code package}) on the test PostgreSQL and
 * Redis, started as {@code ./keisei up} starts them: same environment, same JVM options, the
 * repository as working directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayThroughSuiteIT {

    private static final Path HOME = PackagedService.repoRoot();
    private static final Path DATA = HOME.resolve("gateway-service/target/it-gateway-data");
    private static final List<Integer> PORTS = freePorts(5);
    private static final int GATEWAY = PORTS.get(0);
    private static final int TRAINING = PORTS.get(1);
    private static final int METRICS = PORTS.get(2);
    private static final int RESOURCE = PORTS.get(3);
    private static final int SECOND_GATEWAY = PORTS.get(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The suite, in start order (stopped in reverse). */
    private static final List<CompletableFuture<PackagedService>> suite = new ArrayList<>();
    private static PackagedService secondGateway;
    private static String admin;

    @BeforeAll
    static void startSuite() throws Exception {
        deleteRecursively(DATA);
        Files.createDirectories(DATA.resolve("logs"));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        admin = "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TestInfrastructure infra = TestInfrastructure.get();
        // What ./keisei up gives every service: every port, every service's URL, the data directory.
        Map<String, String> env = new HashMap<>(Map.of(
                "KEISEI_DATA_DIR", DATA.toString(),
                "KEISEI_GATEWAY_PORT", String.valueOf(GATEWAY), "KEISEI_TRAINING_PORT", String.valueOf(TRAINING),
                "KEISEI_METRICS_PORT", String.valueOf(METRICS), "KEISEI_RESOURCE_PORT", String.valueOf(RESOURCE),
                "KEISEI_TRAINING_URL", "http://127.0.0.1:" + TRAINING, "KEISEI_METRICS_URL", "http://127.0.0.1:" + METRICS,
                "KEISEI_RESOURCE_URL", "http://127.0.0.1:" + RESOURCE));
        Object[][] services = {
                {"gateway-service", "KEISEI_GATEWAY_PORT", GATEWAY},
                {"training-service", "KEISEI_TRAINING_PORT", TRAINING},
                {"metrics-service", "KEISEI_METRICS_PORT", METRICS},
                {"resource-service", "KEISEI_RESOURCE_PORT", RESOURCE}};
        for (Object[] s : services) {
            String name = (String) s[0];
            PackagedService.Builder b = PackagedService.of(name).port((String) s[1], (Integer) s[2]).infrastructure(infra)
                    .withoutInheritedKeiseiEnv().env(env).directory(HOME).log(DATA.resolve("logs").resolve(name + ".log"))
                    .jvmOptions("-XX:+UseSerialGC", "-Xss512k", "-Xmx384m").readyTimeout(Duration.ofSeconds(240));
            if (name.equals("gateway-service")) {
                b.env("KEISEI_ADMIN_TOKEN", admin);
            }
            // All at once, as ./keisei up starts them (each start waits until its service is ready).
            suite.add(CompletableFuture.supplyAsync(b::start, r -> new Thread(r, "start " + name).start()));
        }
        CompletableFuture.allOf(suite.toArray(CompletableFuture[]::new)).join();
    }

    @AfterAll
    static void stopSuite() {
        if (secondGateway != null) {
            secondGateway.close();
        }
        for (int i = suite.size() - 1; i >= 0; i--) {
            // One that failed to start has stopped already.
            PackagedService s = suite.get(i).exceptionally(e -> null).join();
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    @Order(1)
    void theInternalServicesAnswerOnlyTheGatewaysCredential() {
        // The packaged services (prod profile) refuse callers without it; the gateway's calls in the test below pass.
        for (int port : new int[]{TRAINING, METRICS, RESOURCE}) {
            assertThat(get(port, "/q/metrics")).as("port %d", port).isEqualTo(401);
            assertThat(get(port, "/q/health/ready")).as("port %d", port).isEqualTo(200);
        }
        assertThat(get(TRAINING, "/sessions")).isEqualTo(401);
        assertThat(get(RESOURCE, "/resources/pools")).isEqualTo(401);
    }

    @Test
    @Order(2)
    void everyCapabilityThroughTheGatewayWithRoles() throws Exception {
        String tina = token("tina", "trainer");
        String tom = token("tom", "trainer");
        String val = token("val", "viewer");
        String rita = token("rita", "researcher");

        // Config: cached with ETags.
        HttpResponse<String> templates = call("GET", "/api/v1/config/templates", val, null, Map.of());
        assertThat(templates.statusCode()).isEqualTo(200);
        assertThat(templates.body()).contains("quick-cpu");
        String etag = templates.headers().firstValue("ETag").orElseThrow();
        assertThat(call("GET", "/api/v1/config/templates", val, null, Map.of("If-None-Match", etag)).statusCode()).isEqualTo(304);
        assertThat(call("GET", "/api/v1/config/schema", val, null, Map.of()).body()).contains("total_timesteps");
        assertThat(call("GET", "/api/v1/config/defaults", val, null, Map.of()).statusCode()).isEqualTo(200);
        // Each trainer's config in its dialect: the built-in one reads Keisei 2025's sections.
        assertThat(json(call("GET", "/api/v1/config/trainers", val, null, Map.of())).findValuesAsText("dialect")).contains("keisei-2025");
        assertThat(call("GET", "/api/v1/config/schema?trainer=builtin", val, null, Map.of()).body()).contains("total_timesteps");
        HttpResponse<String> badTrainer = call("GET", "/api/v1/config/schema?trainer=no%20such", val, null, Map.of());
        assertThat(badTrainer.statusCode()).isEqualTo(400);
        assertThat(badTrainer.body()).contains("\"field\":\"trainer\"");
        assertThat(call("GET", "/api/v1/config/defaults?trainer=nope", val, null, Map.of()).statusCode()).isEqualTo(400);
        HttpResponse<String> invalid = call("POST", "/api/v1/config/validate", tina, "{\"training\":{\"learning_rate\":-1}}", Map.of());
        assertThat(invalid.statusCode()).isEqualTo(200);
        assertThat(json(invalid).path("valid").asBoolean()).isFalse();
        assertThat(invalid.body()).contains("training.learning_rate");

        // Tina creates a session: she owns it whatever the body says.
        HttpResponse<String> created = call("POST", "/api/v1/sessions", tina, "{\"name\":\"gw run\",\"owner\":\"mallory\","
                + "\"template\":\"quick-cpu\",\"config\":{\"training\":{\"steps_per_epoch\":256,\"minibatch_size\":64,"
                + "\"tower_width\":16,\"tower_depth\":1,\"total_timesteps\":2000000},\"evaluation\":{\"num_games\":4}}}", Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode session = JSON.readTree(created.body());
        String id = session.get("id").asText();
        assertThat(session.get("owner").asText()).isEqualTo("tina");
        assertThat(call("POST", "/api/v1/sessions", val, "{\"name\":\"x\"}", Map.of()).statusCode()).isEqualTo(403);

        // Only the owner (or an admin) controls it.
        assertThat(call("POST", "/api/v1/sessions/" + id + "/start", tom, null, Map.of()).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/sessions/" + id + "/start", val, null, Map.of()).statusCode()).isEqualTo(403);

        try (WsClient watcher = WsClient.connectAndAuth(ws(GATEWAY), val)) {
            watcher.subscribe("session:" + id, null);
            assertThat(call("POST", "/api/v1/sessions/" + id + "/start", tina, null, Map.of()).statusCode()).isEqualTo(200);

            // Live: a full first update, then differential ones at most every 500 ms.
            JsonNode first = watcher.next(m -> m.path("type").asText().equals("training_update"), Duration.ofSeconds(120));
            assertThat(first).as("a training update from the real trainer").isNotNull();
            assertThat(first.path("data").path("full").asBoolean()).as(first.toString()).isTrue();
            assertThat(watcher.next(m -> m.path("type").asText().equals("training_update")
                    && m.path("data").path("metrics").has("ppo/policy_loss"), Duration.ofSeconds(120))).isNotNull();
            // Over 6 s: at most 2 training updates and 4 game states a second (plus one in flight).
            List<JsonNode> window = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (System.nanoTime() < end) {
                JsonNode m = watcher.messages.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    window.add(m);
                }
            }
            List<JsonNode> updates = window.stream().filter(m -> m.path("type").asText().equals("training_update")).toList();
            long games = window.stream().filter(m -> m.path("type").asText().equals("game_state")).count();
            assertThat(updates).isNotEmpty().hasSizeLessThanOrEqualTo(13);
            updates.forEach(u -> assertThat(u.path("data").path("full").asBoolean()).isFalse());
            assertThat(games).isPositive().isLessThanOrEqualTo(25);

            // Status: the hot path, from memory.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode st = json(call("GET", "/api/v1/sessions/" + id + "/status", val, null, Map.of()));
                assertThat(st.path("state").asText()).isEqualTo("running");
                assertThat(st.path("step").asLong()).isPositive();
                assertThat(st.path("totalTimesteps").asLong()).isEqualTo(2_000_000);
                assertThat(st.path("metrics").has("ppo/policy_loss")).isTrue();
                assertThat(st.path("allocation").path("cpuMillis").asLong()).isPositive();
            });

            // A second gateway replica serves the same clients: same status, same live stream, same tokens.
            secondGateway = startSecondGateway();
            await().atMost(Duration.ofSeconds(120)).until(() -> get(SECOND_GATEWAY, "/q/health/ready") == 200);
            try (WsClient other = WsClient.connectAndAuth(ws(SECOND_GATEWAY), tina)) {
                other.subscribe("session:" + id, null);
                JsonNode u = other.next(m -> m.path("type").asText().equals("training_update"), Duration.ofSeconds(30));
                assertThat(u).isNotNull();
                assertThat(u.path("session").asText()).isEqualTo(id);
                JsonNode onSecond = json(call(SECOND_GATEWAY, "GET", "/api/v1/sessions/" + id + "/status", val, null, Map.of()));
                assertThat(onSecond.path("state").asText()).isEqualTo("running");
                assertThat(onSecond.path("owner").asText()).isEqualTo("tina");
            }

            // Checkpoint on request: the event arrives live, the model is listed.
            assertThat(call("POST", "/api/v1/sessions/" + id + "/checkpoint", tina, null, Map.of()).statusCode()).isIn(200, 202);
            JsonNode saved = watcher.next(m -> m.path("type").asText().equals("session_event")
                    && m.path("data").path("type").asText().equals("checkpoint.saved"), Duration.ofSeconds(60));
            assertThat(saved).isNotNull();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(json(call("GET", "/api/v1/models?session=" + id, val, null, Map.of())).path("total").asLong()).isPositive());

            // Pause and resume through the gateway.
            assertThat(call("POST", "/api/v1/sessions/" + id + "/pause", tina, null, Map.of()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(json(call("GET", "/api/v1/sessions/" + id + "/status", val, null, Map.of())).path("state").asText())
                            .isEqualTo("paused"));
            assertThat(call("POST", "/api/v1/sessions/" + id + "/resume", tina, null, Map.of()).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(json(call("GET", "/api/v1/sessions/" + id + "/status", val, null, Map.of())).path("state").asText())
                            .isEqualTo("running"));
        }

        // Metrics history, latest, names, export, attempts, clock; games; logs.
        JsonNode history = json(call("GET", "/api/v1/sessions/" + id + "/metrics?names=ppo/policy_loss&max_points=100", val, null, Map.of()));
        assertThat(history.toString()).contains("ppo/policy_loss");
        assertThat(call("GET", "/api/v1/sessions/" + id + "/metrics/latest", val, null, Map.of()).body()).contains("ppo/entropy");
        assertThat(call("GET", "/api/v1/sessions/" + id + "/metrics/names", val, null, Map.of()).body()).contains("ppo/value_loss");
        HttpResponse<String> csv = call("GET", "/api/v1/sessions/" + id + "/metrics/export?format=csv", val, null, Map.of());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).contains("csv");
        assertThat(call("GET", "/api/v1/sessions/" + id + "/metrics/attempts", val, null, Map.of()).statusCode()).isEqualTo(200);
        JsonNode clock = json(call("GET", "/api/v1/sessions/" + id + "/metrics/clock?max_points=50", val, null, Map.of()));
        assertThat(clock.path("session").asText()).isEqualTo(id);
        assertThat(clock.path("points").size()).isBetween(2, 50);
        assertThat(clock.path("points").get(0).get(1).asLong()).isPositive();
        HttpResponse<String> badClock = call("GET", "/api/v1/sessions/" + id + "/metrics/clock?max_points=1", val, null, Map.of());
        assertThat(badClock.statusCode()).isEqualTo(400);
        assertThat(badClock.body()).contains("\"field\":\"max_points\"");
        assertThat(call("GET", "/api/v1/sessions/" + id + "/logs?tail=20", val, null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/sessions/" + id + "/attempts", val, null, Map.of()).body()).contains("\"attempt\"");

        // Models: metadata cached with ETag; download by owner and researcher, not by a viewer; delete by admin only.
        JsonNode models = json(call("GET", "/api/v1/models?session=" + id, val, null, Map.of()));
        String model = models.path("items").get(0).path("id").asText();
        HttpResponse<String> meta = call("GET", "/api/v1/models/" + model, val, null, Map.of());
        assertThat(meta.statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/v1/models/" + model, val, null,
                Map.of("If-None-Match", meta.headers().firstValue("ETag").orElseThrow())).statusCode()).isEqualTo(304);
        assertThat(download(model, tina)).isEqualTo(200);
        assertThat(download(model, rita)).isEqualTo(200);
        assertThat(download(model, val)).isEqualTo(403);
        assertThat(download(model, tom)).isEqualTo(403);

        // Forking trains on from the weights: it needs what a download needs, and the fork is the caller's,
        // with the caller's role and priority; its body is checked like a create's.
        assertThat(call("POST", "/api/v1/models/" + model + "/fork", tom, "{}", Map.of()).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/api/v1/models/" + model + "/fork", val, "{}", Map.of()).statusCode()).isEqualTo(403);
        JsonNode tinasFork = json(call("POST", "/api/v1/models/" + model + "/fork", tina,
                "{\"name\":\"tina fork\",\"priority\":7}", Map.of()));
        assertThat(tinasFork.path("owner").asText()).isEqualTo("tina");
        assertThat(tinasFork.path("priority").asInt()).isEqualTo(7);
        assertThat(call("POST", "/api/v1/models/" + model + "/fork", tina, "[]", Map.of()).statusCode()).isEqualTo(400);
        HttpResponse<String> badName = call("POST", "/api/v1/models/" + model + "/fork", tina, "{\"name\":\"a\\u0007b\"}", Map.of());
        assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
        assertThat(badName.body()).contains("\"field\":\"name\"");
        assertThat(call("POST", "/api/v1/models/" + model + "/fork", tina, "{\"priority\":5000}", Map.of()).statusCode())
                .isEqualTo(400);

        // A session that does not exist has no data either; paging past every row is refused, not a 500.
        for (String path : List.of("/metrics/latest", "/metrics?names=ppo/entropy", "/events", "/games", "/metrics/attempts",
                "/metrics/clock")) {
            assertThat(call("GET", "/api/v1/sessions/no-such-session" + path, val, null, Map.of()).statusCode()).as(path)
                    .isEqualTo(404);
        }
        for (String path : List.of("/api/v1/sessions?page=2147483647&size=200", "/api/v1/sessions?page=10737419&size=200",
                "/api/v1/models?page=2147483647&size=200", "/api/v1/sessions?page=abc", "/api/v1/sessions?size=abc",
                "/api/v1/sessions/" + id + "/logs?tail=abc", "/api/v1/sessions?owner=%00", "/api/v1/models?session=%00")) {
            HttpResponse<String> r = call("GET", path, val, null, Map.of());
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
        }

        // Resources.
        assertThat(call("GET", "/api/v1/resources", val, null, Map.of()).body()).contains("pools");
        assertThat(call("GET", "/api/v1/resources/allocations", val, null, Map.of()).statusCode()).isEqualTo(200);
        // One shape per endpoint: the newest sample as an object, every node's as a list.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(json(call("GET", "/api/v1/system/status", val, null, Map.of())).path("node").isTextual()).isTrue();
            JsonNode nodes = json(call("GET", "/api/v1/system/nodes", val, null, Map.of()));
            assertThat(nodes.isArray() && nodes.size() >= 1 && nodes.get(0).path("node").isTextual()).isTrue();
        });

        // Stop; only the owner or an admin may delete; the audit log has it all.
        assertThat(call("POST", "/api/v1/sessions/" + id + "/stop", tina, null, Map.of()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(json(call("GET", "/api/v1/sessions/" + id + "/status", val, null, Map.of())).path("state").asText())
                        .isEqualTo("stopped"));
        assertThat(call("DELETE", "/api/v1/sessions/" + id, tom, null, Map.of()).statusCode()).isEqualTo(403);

        // A config change through one replica is seen at once through the other (cache invalidation).
        JsonNode cfg = json(call(SECOND_GATEWAY, "GET", "/api/v1/sessions/" + id + "/config", val, null, Map.of()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) cfg.path("training")).put("learning_rate", 0.000123);
        HttpResponse<String> put = call("PUT", "/api/v1/sessions/" + id + "/config", tina, cfg.toString(), Map.of());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(json(call(SECOND_GATEWAY, "GET", "/api/v1/sessions/" + id + "/config", val, null, Map.of()))
                .path("training").path("learning_rate").asDouble()).isEqualTo(0.000123);
        JsonNode audit = json(call("GET", "/api/v1/audit?actor=tina", admin, null, Map.of()));
        assertThat(audit.toString()).contains("/api/v1/sessions/" + id + "/start", "/api/v1/sessions/" + id + "/pause");
        JsonNode perf = json(call("GET", "/api/v1/performance", val, null, Map.of()));
        assertThat(perf.toString()).contains("GET /api/v1/sessions/{id}/status");
        assertThat(perf.path("websocket").path("deliveryLatency").has("training_update")).isTrue();
    }

    private static int download(String model, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GATEWAY + "/api/v1/models/" + model + "/download"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static PackagedService startSecondGateway() {
        return PackagedService.of("gateway-service").port("KEISEI_GATEWAY_PORT", SECOND_GATEWAY)
                .infrastructure(TestInfrastructure.get()).withoutInheritedKeiseiEnv()
                .env(Map.of("KEISEI_TRAINING_URL", "http://127.0.0.1:" + TRAINING, "KEISEI_METRICS_URL", "http://127.0.0.1:" + METRICS,
                        "KEISEI_RESOURCE_URL", "http://127.0.0.1:" + RESOURCE))
                .log(DATA.resolve("second-gateway.log")).jvmOptions("-Xmx256m").start();
    }

    /**
     * A create retried with its Idempotency-Key, through the other replica (as behind a load balancer), gets the first
     * answer: one session, however often the client resends.
     */
    @Test
    @Order(3)
    void aRetriedCreateWithAnIdempotencyKeyMakesOneSessionOnAnyReplica() throws Exception {
        String ida = token("ida", "trainer");
        String body = "{\"name\":\"retried run\",\"template\":\"quick-cpu\"}";
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        HttpResponse<String> first = call("POST", "/api/v1/sessions", ida, body, key);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        int other = secondGateway != null ? SECOND_GATEWAY : GATEWAY;
        for (int port : new int[]{other, GATEWAY}) {
            HttpResponse<String> retry = call(port, "POST", "/api/v1/sessions", ida, body, key);
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
            assertThat(retry.body()).isEqualTo(first.body());
        }
        HttpResponse<String> otherBody = call("POST", "/api/v1/sessions", ida, "{\"name\":\"another run\"}", key);
        assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(422);
        assertThat(json(call("GET", "/api/v1/sessions?owner=ida", ida, null, Map.of())).path("total").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(first.body()).path("owner").asText()).isEqualTo("ida");
    }

    /**
     * Odd input to every operation of the OpenAPI document (see {@link ApiFuzzer}), against the whole suite
     * so that nothing answers 503 for want of a service: never a 5xx, always a useful problem, and the gateway
     * healthy afterwards. Last, so that what it creates (refused mostly) cannot disturb the tests above.
     */
    @Test
    @Order(4)
    void oddInputToEveryOperationGetsAUsefulProblemNeverA5xx() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tokens.add(token("fuzz-" + i, "admin")); // many tokens: the fuzzer runs faster than one token's rate limit
        }
        ApiFuzzer.Report report = new ApiFuzzer("http://127.0.0.1:" + GATEWAY, tokens).run();
        System.out.println("API fuzz: " + ApiFuzzer.summary(report));
        report.violations().stream().limit(40).forEach(v -> System.out.println("  " + v));
        assertThat(report.requests()).isGreaterThan(1_000);
        assertThat(report.violations()).isEmpty();
        assertThat(get(GATEWAY, "/q/health/ready")).isEqualTo(200);
        assertThat(call("GET", "/api/v1/auth/me", admin, null, Map.of()).statusCode()).isEqualTo(200);
    }

    private static String token(String name, String role) throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/auth/tokens", admin, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("token").asText();
    }

    private static HttpResponse<String> call(String method, String path, String token, String body, Map<String, String> headers)
            throws Exception {
        return call(GATEWAY, method, path, token, body, headers);
    }

    private static HttpResponse<String> call(int port, String method, String path, String token, String body,
                                             Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }

    private static int get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static URI ws(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    private static List<Integer> freePorts(int n) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < n) {
            ports.add(FreePorts.pick());
        }
        return List.copyOf(ports);
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
