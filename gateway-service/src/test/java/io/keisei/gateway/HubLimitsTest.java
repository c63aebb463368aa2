package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.gateway.hub.HubStats;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.WsClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The live hub's limits against a hostile client, through {@code /ws} (issue #17): what a connection
 * may hold (subscriptions, unknown sessions) and what it leaves behind; sockets that never
 * authenticate; frames too big to read. training-service is a stub here: every session exists except
 * {@code missing-*} ones. The gateway trusts X-Forwarded-For from 127.0.0.1 (as behind a proxy), so a
 * test can speak from several client addresses.
 */
@QuarkusTest
@TestProfile(HubLimitsTest.BehindProxy.class)
@WithTestResource(KeiseiInfraResource.class)
@WithTestResource(StubTrainingService.class)
class HubLimitsTest {

    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "127.0.0.1");
        }
    }

    static final String ADMIN = "test-admin-token-0123456789";

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    HubStats stats;

    URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    static String training() {
        return ConfigProvider.getConfig().getValue("keisei.gateway.services.training", String.class);
    }

    static String viewerToken() {
        return given().header("Authorization", "Bearer " + ADMIN).contentType("application/json")
                .body("{\"name\":\"ws-viewer-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"role\":\"viewer\"}")
                .post("/api/v1/auth/tokens").then().statusCode(201).extract().path("token");
    }

    static boolean is(JsonNode m, String type) {
        return m.path("type").asText().equals(type);
    }

    static JsonNode subscribeAndAwait(WsClient c, String topic) throws InterruptedException {
        c.subscribe(topic, null);
        return c.next(m -> (is(m, "subscribed") && m.path("topic").asText().equals(topic)) || is(m, "error"), Duration.ofSeconds(10));
    }

    static void assertUsable(WsClient c) throws InterruptedException {
        c.send("{\"type\":\"ping\"}");
        assertThat(c.next(m -> is(m, "pong"), Duration.ofSeconds(5))).as("pong").isNotNull();
        assertThat(c.closed).isNotDone();
    }

    /** Every test starts with no connection open (the previous test's closes are processed). */
    @BeforeEach
    void quiet() {
        await().atMost(Duration.ofSeconds(15)).until(() -> stats.retained().connections() == 0);
    }

    // ---- finding 2: what a connection may hold, and what it leaves behind ---------------------------------------

    @Test
    void thousandsOfConnectSubscribeCloseCyclesLeaveNothingBehind() throws Exception {
        String token = viewerToken();
        HubStats.Retained baseline = stats.retained();
        int threads = 4;
        int cyclesPerThread = 500;
        AtomicInteger subscribed = new AtomicInteger();
        AtomicInteger peakTopics = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            runs.add(pool.submit(() -> {
                for (int i = 0; i < cyclesPerThread; i++) {
                    try (WsClient c = WsClient.connectAndAuth(ws(), token)) {
                        List<String> topics = new ArrayList<>(List.of("sessions", "system", "session:shared-" + (i % 5)));
                        // Mostly a few distinct sessions; every 50th cycle as many as a connection may hold.
                        int distinct = i % 50 == 0 ? 61 : 2;
                        for (int j = 0; j < distinct; j++) {
                            topics.add("session:leak-" + thread + "-" + i + "-" + j);
                        }
                        for (String topic : topics) {
                            c.subscribe(topic, null);
                        }
                        for (int answers = 0; answers < topics.size(); answers++) {
                            JsonNode ack = c.next(m -> is(m, "subscribed") || is(m, "error"), Duration.ofSeconds(10));
                            assertThat(ack).as("answer %d of %d", answers, topics.size()).isNotNull();
                            if (is(ack, "subscribed")) {
                                subscribed.incrementAndGet();
                            }
                        }
                        peakTopics.accumulateAndGet(stats.retained().topics(), Math::max);
                        c.send("{\"type\":\"unsubscribe\",\"topic\":\"" + topics.get(3) + "\"}");
                        assertThat(c.next(m -> is(m, "unsubscribed"), Duration.ofSeconds(10))).isNotNull();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : runs) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        // The cycles did subscribe (thousands of distinct session topics)...
        assertThat(subscribed.get()).isGreaterThan(threads * cyclesPerThread * 4);
        assertThat(peakTopics.get()).isGreaterThanOrEqualTo(baseline.topics() + 64);
        // ...and once the clients are gone, the hub holds what it held before: no topic entry, no subscription,
        // no connection, no per-address entry, and no live state created by subscribing.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(stats.retained()).isEqualTo(baseline));
    }

    @Test
    void aConnectionHoldsAtMost64TopicsAndStaysUsableBeyond() throws Exception {
        try (WsClient c = WsClient.connectAndAuth(ws(), viewerToken())) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 64; i++) {
                JsonNode ack = subscribeAndAwait(c, "session:cap-" + run + "-" + i);
                assertThat(ack.path("type").asText()).as("topic %d", i).isEqualTo("subscribed");
            }
            int topicsAtLimit = stats.retained().topics();
            JsonNode refused = subscribeAndAwait(c, "session:cap-" + run + "-64");
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("data").path("code").asText()).isEqualTo("subscription_limit");
            assertThat(refused.path("data").path("message").asText()).contains("64");
            assertThat(stats.retained().topics()).isEqualTo(topicsAtLimit);
            // Refusals are not bad messages: many of them leave the connection open and usable.
            for (int i = 0; i < 10; i++) {
                assertThat(subscribeAndAwait(c, "session:cap-" + run + "-x" + i).path("data").path("code").asText())
                        .isEqualTo("subscription_limit");
            }
            assertUsable(c);
            // Unsubscribing frees a place.
            c.send("{\"type\":\"unsubscribe\",\"topic\":\"session:cap-" + run + "-0\"}");
            assertThat(c.next(m -> is(m, "unsubscribed"), Duration.ofSeconds(5))).isNotNull();
            assertThat(subscribeAndAwait(c, "session:cap-" + run + "-64").path("type").asText()).isEqualTo("subscribed");
        }
    }

    @Test
    void anUnknownSessionGetsAnErrorAndAFloodOfThemDoesNotReachTrainingService() throws Exception {
        String missing = StubTrainingService.MISSING_PREFIX + UUID.randomUUID();
        String token = viewerToken();
        try (WsClient c = WsClient.connectAndAuth(ws(), token)) {
            JsonNode err = subscribeAndAwait(c, "session:" + missing);
            assertThat(err.path("type").asText()).isEqualTo("error");
            assertThat(err.path("data").path("code").asText()).isEqualTo("unknown_session");
            assertThat(err.path("data").path("message").asText()).contains(missing);
            assertUsable(c);
            // A session that exists still subscribes on the same connection.
            assertThat(subscribeAndAwait(c, "session:real-" + UUID.randomUUID()).path("type").asText()).isEqualTo("subscribed");
        }
        // The same unknown id again and again, over fresh connections: training-service was asked once.
        for (int i = 0; i < 20; i++) {
            try (WsClient c = WsClient.connectAndAuth(ws(), token)) {
                assertThat(subscribeAndAwait(c, "session:" + missing).path("data").path("code").asText()).isEqualTo("unknown_session");
            }
        }
        assertThat(StubTrainingService.calls(training(), missing)).isEqualTo(1);
        // Distinct unknown ids: an error each, the connection stays open, training-service is asked once per id
        // (and not again when they come back).
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(StubTrainingService.MISSING_PREFIX + UUID.randomUUID());
        }
        for (int round = 0; round < 2; round++) {
            try (WsClient c = WsClient.connectAndAuth(ws(), token)) {
                for (String id : ids) {
                    assertThat(subscribeAndAwait(c, "session:" + id).path("data").path("code").asText()).isEqualTo("unknown_session");
                }
                assertUsable(c);
            }
        }
        for (String id : ids) {
            assertThat(StubTrainingService.calls(training(), id)).as(id).isEqualTo(1);
        }
        // Ids outside the API's syntax never leave the gateway.
        try (WsClient c = WsClient.connectAndAuth(ws(), token)) {
            for (String bad : List.of("a".repeat(129), "..", "a/b", "a b")) {
                JsonNode e = subscribeAndAwait(c, "session:" + bad);
                assertThat(e.path("data").path("code").asText()).as(bad).isEqualTo("unknown_topic");
            }
        }
        assertThat(stats.retained().topics()).isZero();
    }

    // ---- finding 4: sockets that never authenticate --------------------------------------------------------------

    @Test
    void unauthenticatedSocketsHaveTheirOwnBudgetPerAddressAndLockNoLoginOut() throws Exception {
        Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.9");
        List<WsClient> open = new ArrayList<>();
        List<RawWebSocket> idle = new ArrayList<>();
        try {
            // An address fills its budget of sockets that do not authenticate...
            for (int i = 0; i < 8; i++) {
                idle.add(new RawWebSocket(ws(), attacker));
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> stats.retained().unauthenticated() == 8);
            // ...the next one from it is refused at once (another address is not)...
            try (RawWebSocket ninth = new RawWebSocket(ws(), attacker)) {
                assertThat(ninth.awaitClose(Duration.ofSeconds(2))).isEqualTo(1008);
            }
            try (RawWebSocket elsewhere = new RawWebSocket(ws(), Map.of("X-Forwarded-For", "198.51.100.4"))) {
                assertThat(elsewhere.awaitClose(Duration.ofMillis(300))).as("still open").isZero();
            }
            // ...and every valid login up to the connection limit still gets in, while those 8 stay open.
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<WsClient>> logins = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                logins.add(pool.submit(() -> WsClient.connectAndAuth(ws(), ADMIN)));
            }
            for (Future<WsClient> f : logins) {
                open.add(f.get(30, TimeUnit.SECONDS));
            }
            pool.shutdown();
            for (RawWebSocket c : idle) {
                assertThat(c.awaitClose(Duration.ofMillis(10))).as("an unauthenticated socket still open").isZero();
            }
            assertThat(stats.retained().unauthenticated()).isEqualTo(8);
            // The limit itself holds: the 51st login is refused (at once, as the limit is full, or on authenticating).
            WsClient extra = WsClient.connect(ws());
            open.add(extra);
            try {
                extra.send("{\"type\":\"auth\",\"token\":\"" + ADMIN + "\"}");
            } catch (CompletionException closedAlready) {
                // refused on opening
            }
            assertThat(extra.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
            assertUsable(open.get(open.size() - 2));
        } finally {
            open.forEach(WsClient::close);
            for (RawWebSocket c : idle) {
                c.close();
            }
        }
    }

    @Test
    void aSocketThatDoesNotAuthenticateIsClosedAfterTheDeadline() throws Exception {
        long t0 = System.nanoTime();
        try (WsClient c = WsClient.connect(ws())) {
            int code = c.closed.get(8, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(code).isEqualTo(1008);
            assertThat(ms).as("closed after ms").isBetween(4_500L, 7_000L);
        }
        // Its place in the address budget is free again.
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.retained().unauthenticatedAddresses() == 0);
    }

    // ---- finding 10: frames too big -------------------------------------------------------------------------------

    @Test
    void framesOf1And16MegabytesCloseWith1009AndLeaveNoStackTrace() throws Exception {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (logged) {
                        logged.add(r);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            for (int size : new int[] {1 << 20, 16 << 20}) {
                String big = "x".repeat(size);
                for (boolean authenticated : new boolean[] {false, true}) {
                    String what = size / (1 << 20) + " MB " + (authenticated ? "after" : "before") + " auth";
                    // The JDK client cuts a message into frames of 16 KB: bigger than a frame may be.
                    try (WsClient c = authenticated ? WsClient.connectAndAuth(ws(), ADMIN) : WsClient.connect(ws())) {
                        CompletableFuture.runAsync(() -> {
                            try {
                                c.send(big);
                            } catch (RuntimeException closedWhileSending) {
                                // expected
                            }
                        });
                        assertThat(c.closed.get(15, TimeUnit.SECONDS)).as("JDK client, " + what).isEqualTo(1009);
                    }
                    // One frame of the whole size.
                    assertThat(rawClose(authenticated, size, size)).as("one frame, " + what).isEqualTo(1009);
                    // Frames small enough, adding up to a message too big.
                    assertThat(rawClose(authenticated, size, 4096)).as("4 KB frames, " + what).isEqualTo(1009);
                }
            }
            // Nor is a small compressed frame inflated into a big message: the server does not offer compression.
            try (RawWebSocket raw = new RawWebSocket(ws(), Map.of("Sec-WebSocket-Extensions", "permessage-deflate"))) {
                assertThat(raw.handshake.toLowerCase()).doesNotContain("sec-websocket-extensions");
            }
            // The gateway is fine: a new connection works, health is UP.
            try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
                assertUsable(c);
            }
            given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        } finally {
            root.removeHandler(capture);
        }
        synchronized (logged) {
            assertThat(logged).as("stack traces").noneMatch(r -> r.getThrown() != null);
            assertThat(logged).as("errors").noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
            // Twelve refused messages within a minute: one line.
            assertThat(logged.stream().filter(r -> r.getLoggerName().startsWith("io.keisei.gateway.hub")).count()).isLessThanOrEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> stats.retained().connections() == 0);
    }

    /** Sends a text message of {@code size} bytes in frames of {@code frame} bytes; the close code the server answers. */
    private int rawClose(boolean authenticated, int size, int frame) throws Exception {
        try (RawWebSocket raw = new RawWebSocket(ws())) {
            if (authenticated) {
                raw.sendText("{\"type\":\"auth\",\"token\":\"" + ADMIN + "\"}");
                assertThat(raw.readText()).contains("welcome");
            }
            byte[] chunk = new byte[frame];
            Arrays.fill(chunk, (byte) 'x');
            CompletableFuture.runAsync(() -> {
                for (int off = 0; off < size; off += frame) {
                    boolean last = off + frame >= size;
                    if (!raw.sendFrame(off == 0 ? 0x1 : 0x0, last, chunk)) {
                        return;
                    }
                }
            });
            return raw.awaitClose();
        }
    }
}
