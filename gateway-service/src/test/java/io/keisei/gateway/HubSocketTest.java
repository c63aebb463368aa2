package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.WsClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The live hub through its public interface: a real WebSocket, records published to real Redis streams. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class HubSocketTest {

    static final String ADMIN = "test-admin-token-0123456789";

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    StreamPublisher publisher;

    URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private String publishMetrics(String session, long step, Map<String, Double> metrics) {
        return publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, step, System.currentTimeMillis(), metrics),
                Streams.METRICS_MAXLEN);
    }

    private static Map<String, Double> metrics(double loss, double reward) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ppo/policy_loss", loss);
        m.put("episode_reward_mean", reward);
        m.put("ppo/entropy", 2.0);
        return m;
    }

    @Test
    void trainingUpdatesAreThrottledAndDifferentialAfterAFullFirstMessage() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("session:" + session, null);
            assertThat(c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5))).isNotNull();
            // 3 s of a fast trainer: a record every 20 ms, the loss changing, the entropy constant.
            long t0 = System.nanoTime();
            for (int i = 0; i < 150; i++) {
                publishMetrics(session, 100L * (i + 1), metrics(-0.5 + i * 0.01, 0.25));
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> updates = c.collect("training_update", Duration.ofSeconds(2));
            assertThat(updates).isNotEmpty();
            JsonNode first = updates.get(0);
            assertThat(first.path("data").path("full").asBoolean()).isTrue();
            assertThat(first.path("data").path("metrics").has("ppo/entropy")).isTrue();
            // At most one update per 500 ms (plus the first), never one per record.
            assertThat(updates.size()).isLessThanOrEqualTo((int) Math.ceil(seconds / 0.5) + 2).isGreaterThanOrEqualTo(2);
            for (JsonNode u : updates.subList(1, updates.size())) {
                assertThat(u.path("data").path("full").asBoolean()).isFalse();
                // The constant metrics are not repeated; the moving loss is.
                assertThat(u.path("data").path("metrics").has("ppo/entropy")).isFalse();
                assertThat(u.path("data").path("metrics").has("episode_reward_mean")).isFalse();
                assertThat(u.path("data").path("metrics").has("ppo/policy_loss")).isTrue();
                assertThat(u.path("session").asText()).isEqualTo(session);
                assertThat(u.path("id").asText()).matches("\\d+-\\d+");
            }
            // The last update carries the last step: throttling drops intermediate records, never the latest state.
            assertThat(updates.get(updates.size() - 1).path("data").path("step").asLong()).isEqualTo(15_000);
        }
    }

    /** The speed behind every ETA is the gateway's smoothed one, carried by the updates; a paused session has none. */
    @Test
    void updatesCarryTheSmoothedSpeedNotTheTrainersMomentaryOne() throws Exception {
        String session = "v-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("session:" + session, null);
            assertThat(c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5))).isNotNull();
            // 30 s of trainer time at 1,000 steps/s, reported every 250 ms with a momentary speed that swings 500 / 1,500.
            long t0 = System.currentTimeMillis() - 60_000;
            for (int i = 0; i <= 120; i++) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("steps_per_second", i % 2 == 0 ? 500.0 : 1500.0);
                publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, 250L * i, t0 + 250L * i, m), Streams.METRICS_MAXLEN);
                Thread.sleep(10);
            }
            List<JsonNode> updates = c.collect("training_update", Duration.ofSeconds(2));
            JsonNode last = updates.get(updates.size() - 1).path("data");
            assertThat(last.path("step").asLong()).isEqualTo(30_000);
            assertThat(last.path("stepsPerSecond").asDouble()).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(1.0));

            publisher.publish(Streams.EVENTS, new LifecycleEvent(LifecycleEvent.VERSION, EventType.SESSION_PAUSED, session, 1, System.currentTimeMillis(),
                    "test", "paused", null, null, null, null), Streams.EVENTS_MAXLEN);
            c.next(m -> m.path("type").asText().equals("session_event"), Duration.ofSeconds(5));
        }
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("session:" + session, null);
            JsonNode snapshot = c.next(m -> m.path("type").asText().equals("training_update"), Duration.ofSeconds(5));
            assertThat(snapshot.path("data").path("step").asLong()).isEqualTo(30_000);
            assertThat(snapshot.path("data").has("stepsPerSecond")).as("paused: no speed").isFalse();
        }
    }

    @Test
    void aReconnectWithACursorGetsEverythingItMissedThenLiveData() throws Exception {
        String session = "r-" + UUID.randomUUID();
        String cursor;
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("session:" + session, null);
            c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
            publishMetrics(session, 1, metrics(0.1, 0.1));
            JsonNode u = c.next(m -> m.path("type").asText().equals("training_update"), Duration.ofSeconds(5));
            cursor = u.path("id").asText();
        }
        // While disconnected: 40 records and a lifecycle event.
        List<String> missed = new ArrayList<>();
        for (int i = 2; i <= 41; i++) {
            missed.add(publishMetrics(session, i, metrics(0.1 * i, 0.1)));
        }
        publisher.publish(Streams.EVENTS, new LifecycleEvent(LifecycleEvent.VERSION, EventType.CHECKPOINT_SAVED, session, 1,
                System.currentTimeMillis(), "trainer", null, null, new io.keisei.contracts.CheckpointInfo("/x.ckpt", 41, 10, "a".repeat(64)), null, null),
                Streams.EVENTS_MAXLEN);
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("session:" + session, cursor);
            JsonNode ack = c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(41);
            List<Long> steps = new ArrayList<>();
            boolean sawCheckpoint = false;
            for (int i = 0; i < 41; i++) {
                JsonNode m = c.next(x -> !x.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
                assertThat(m).as("replayed message %d", i).isNotNull();
                if (m.path("type").asText().equals("training_update")) {
                    steps.add(m.path("data").path("step").asLong());
                } else if (m.path("type").asText().equals("session_event")) {
                    sawCheckpoint = m.path("data").path("type").asText().equals("checkpoint.saved");
                }
            }
            assertThat(steps).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(2, 41).boxed().toList());
            assertThat(sawCheckpoint).isTrue();
            // Then live data continues on the same connection.
            publishMetrics(session, 42, metrics(9.0, 9.0));
            JsonNode live = c.next(m -> m.path("type").asText().equals("training_update"), Duration.ofSeconds(5));
            assertThat(live.path("data").path("step").asLong()).isEqualTo(42);
        }
        assertThat(missed).hasSize(40);
    }

    @Test
    void eventsArriveAtOnceAndSystemStatusOnTheSystemTopic() throws Exception {
        String session = "e-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("sessions", null);
            c.subscribe("system", null);
            c.next(m -> m.path("type").asText().equals("subscribed") && m.path("topic").asText().equals("system"), Duration.ofSeconds(5));
            publisher.publish(Streams.EVENTS, new LifecycleEvent(LifecycleEvent.VERSION, EventType.SESSION_STARTED, session, 1,
                    System.currentTimeMillis(), "training-service", "RUNNING", null, null, null, null), Streams.EVENTS_MAXLEN);
            JsonNode e = c.next(m -> m.path("type").asText().equals("session_event"), Duration.ofSeconds(5));
            assertThat(e.path("topic").asText()).isEqualTo("sessions");
            assertThat(e.path("data").path("type").asText()).isEqualTo("session.started");
            assertThat(e.path("data").path("state").asText()).isEqualTo("RUNNING");
            publisher.publish(Streams.SYSTEM, new SystemStatus(SystemStatus.VERSION, "node-a", System.currentTimeMillis(), 12.5,
                    List.of(10.0, 15.0), 1000, 4000, List.of()), Streams.SYSTEM_MAXLEN);
            JsonNode s = c.next(m -> m.path("type").asText().equals("system_status")
                    && m.path("data").path("node").asText().equals("node-a"), Duration.ofSeconds(5));
            assertThat(s.path("data").path("cpuPercent").asDouble()).isEqualTo(12.5);
        }
    }

    @Test
    void everyNodesSampleReachesTheSystemTopicWhenManyNodesPublishAtOnce() throws Exception {
        // In cluster mode resource-service publishes one sample per node each second, all in a burst.
        String prefix = "burst-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.subscribe("system", null);
            c.next(m -> m.path("type").asText().equals("subscribed") && m.path("topic").asText().equals("system"), Duration.ofSeconds(5));
            for (int i = 0; i < 5; i++) {
                publisher.publish(Streams.SYSTEM, new SystemStatus(SystemStatus.VERSION, prefix + i, System.currentTimeMillis(), 10 + i,
                        List.of(), 1000, 4000, List.of(), "h100", SystemStatus.USAGE_REQUESTS, i), Streams.SYSTEM_MAXLEN);
            }
            List<JsonNode> got = c.collect("system_status", Duration.ofSeconds(3));
            assertThat(got.stream().map(m -> m.path("data").path("node").asText()).filter(n -> n.startsWith(prefix)).distinct())
                    .containsExactlyInAnyOrder(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4);
            assertThat(got.stream().filter(m -> m.path("data").path("node").asText().equals(prefix + 3)).findFirst().orElseThrow()
                    .path("data").path("pool").asText()).isEqualTo("h100");
        }
    }

    @Test
    void the51stConnectionIsClosedWith1008() throws Exception {
        List<WsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                open.add(WsClient.connectAndAuth(ws(), ADMIN));
            }
            WsClient extra = WsClient.connect(ws());
            open.add(extra);
            assertThat(extra.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
            // The others are unaffected.
            open.get(0).send("{\"type\":\"ping\"}");
            assertThat(open.get(0).next(m -> m.path("type").asText().equals("pong"), Duration.ofSeconds(5))).isNotNull();
        } finally {
            open.forEach(WsClient::close);
        }
        // Closed connections free their slots.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (WsClient again = WsClient.connectAndAuth(ws(), ADMIN)) {
                assertThat(again.closed.isDone()).isFalse();
            }
        });
    }

    @Test
    void badTokenIsRefusedWith1008AndMessagesBeforeAuthToo() throws Exception {
        try (WsClient c = WsClient.connect(ws())) {
            c.send("{\"type\":\"auth\",\"token\":\"nope-nope-nope\"}");
            JsonNode err = c.next(m -> m.path("type").asText().equals("error"), Duration.ofSeconds(5));
            assertThat(err.path("data").path("code").asText()).isEqualTo("unauthorized");
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        }
        try (WsClient c = WsClient.connect(ws())) {
            c.subscribe("system", null);
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }

    @Test
    void malformedMessagesGetErrorsThenTheConnectionIsClosed() throws Exception {
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            c.send("{\"type\":\"subscribe\",\"topic\":\"nonsense\"}");
            JsonNode err = c.next(m -> m.path("type").asText().equals("error"), Duration.ofSeconds(5));
            assertThat(err.path("data").path("code").asText()).isEqualTo("unknown_topic");
            for (int i = 0; i < 4; i++) {
                c.send("{not json");
            }
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1007);
        }
        try (WsClient c = WsClient.connectAndAuth(ws(), ADMIN)) {
            for (int i = 0; i < 5; i++) {
                c.send("{\"type\":\"dance\"}");
            }
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1003);
        }
    }
}
