package io.keisei.metrics;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.metrics.stream.IngestConsumer;
import io.keisei.metrics.support.Db;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The stream protocol end to end on real Redis and PostgreSQL: a producer publishes with the
 * contracts codec, metrics-service consumes through its group, commits, then acks.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class IngestConsumerTest {

    @Inject
    StreamPublisher publisher;
    @Inject
    RedisDataSource redis;
    @Inject
    AgroalDataSource db;

    @Test
    void publishedMetricUpdatesAreStoredThenAcknowledged() {
        String session = "s-" + UUID.randomUUID();
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, 2048, System.currentTimeMillis(),
                Map.of(MetricNames.POLICY_LOSS, 0.25, MetricNames.ENTROPY, 9.5)), Streams.METRICS_MAXLEN);
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, 4096, System.currentTimeMillis(),
                Map.of(MetricNames.POLICY_LOSS, 0.125)), Streams.METRICS_MAXLEN);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/metrics/latest", session).then().statusCode(200)
                        .body("step", equalTo(4096))
                        .body("metrics.'ppo/policy_loss'.value", equalTo(0.125f))
                        .body("metrics.'ppo/entropy'.step", equalTo(2048)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(redis.stream(String.class).xpending(Streams.METRICS, IngestConsumer.GROUP).getPendingCount())
                        .isZero());
    }

    @Test
    void redeliveredUpdatesWriteNothingTwiceAndLaterAttemptsSupersede() throws Exception {
        String session = "s-" + UUID.randomUUID();
        MetricUpdate first = MetricUpdate.of(session, 1, 100, 1_000, Map.of("x", 1.0));
        publisher.publish(Streams.METRICS, first, Streams.METRICS_MAXLEN);
        publisher.publish(Streams.METRICS, first, Streams.METRICS_MAXLEN);
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 2, 100, 2_000, Map.of("x", 2.0)), Streams.METRICS_MAXLEN);
        // An older attempt arriving late must not overwrite the newer attempt's value.
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, 100, 3_000, Map.of("x", 3.0)), Streams.METRICS_MAXLEN);
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 2, 200, 4_000, Map.of("done", 1.0)), Streams.METRICS_MAXLEN);

        await().atMost(Duration.ofSeconds(15)).until(() -> count(session) == 2);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT p.value, p.attempt FROM metrics.points p JOIN metrics.series s ON s.id = p.series_id
                      WHERE s.session_id = ? AND s.metric = 'x'""")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getDouble(1)).isEqualTo(2.0);
                assertThat(rs.getInt(2)).isEqualTo(2);
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void malformedEntriesAreDeadLetteredWithoutBlockingTheGroup() {
        String session = "s-" + UUID.randomUUID();
        var streams = redis.stream(String.class);
        long deadBefore = streams.xlen(Streams.DEAD_LETTER);
        streams.xadd(Streams.METRICS, Map.of(Streams.PAYLOAD_FIELD, "{not json"));
        streams.xadd(Streams.METRICS, Map.of(Streams.PAYLOAD_FIELD,
                "{\"v\":1,\"session\":\"" + session + "\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":\"NaN\"}}"));
        streams.xadd(Streams.METRICS, Map.of(Streams.PAYLOAD_FIELD,
                "{\"v\":9,\"session\":\"" + session + "\",\"attempt\":1,\"step\":1,\"time\":1,\"metrics\":{\"x\":1}}"));
        streams.xadd(Streams.METRICS, Map.of("unexpected", "field"));
        publisher.publish(Streams.METRICS, MetricUpdate.of(session, 1, 7, 1, Map.of("ok", 7.0)), Streams.METRICS_MAXLEN);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/metrics/latest", session).then().statusCode(200).body("step", equalTo(7)));
        assertThat(streams.xlen(Streams.DEAD_LETTER) - deadBefore).isEqualTo(4);
        var all = streams.xrange(Streams.DEAD_LETTER, StreamRange.of("-", "+"));
        var kinds = all.subList(all.size() - 4, all.size()).stream().map(m -> m.payload().get("kind")).toList();
        assertThat(kinds).containsExactlyInAnyOrder("MALFORMED_JSON", "INVALID_VALUE", "UNKNOWN_VERSION", "MISSING_FIELD");
    }

    @Test
    void lifecycleEventsBecomeSessionMarkers() {
        String session = "s-" + UUID.randomUUID();
        publisher.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_STARTED, session, 1, "trainer", "running", null),
                Streams.EVENTS_MAXLEN);
        publisher.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_PAUSED, session, 1, "training-service", "paused", null),
                Streams.EVENTS_MAXLEN);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/events", session).then().statusCode(200)
                        .body("type", org.hamcrest.Matchers.contains("session.started", "session.paused"))
                        .body("[0].attempt", equalTo(1)));
    }

    private long count(String session) throws Exception {
        return Db.pointCount(db, session);
    }
}
