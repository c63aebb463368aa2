package io.keisei.common.stream;

import io.keisei.contracts.Streams;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.vertx.redis.client.ProtocolVersion;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lag of a consumer group against the real (embedded, 6.2) Redis, which reports no lag of its own: estimated
 * from the entry ids. Entries are added with ids one second apart, so the estimate is exact here.
 */
class GroupLagMonitorTest {

    private final RedisDataSource redis = TestRedis.get();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final GroupLagMonitor monitor = new GroupLagMonitor(redis, registry, Streams.MaxLengths.defaults(),
            Duration.ZERO, 0.5);
    private final String stream = "test:lag:" + UUID.randomUUID();

    @AfterEach
    void close() {
        monitor.close();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aGroupThatDoesNotReadGoesPastHalfItsHeadroomAndBackWhenItCatchesUp(ProtocolVersion protocol) {
        RedisDataSource redis = TestRedis.get(protocol);
        GroupLagMonitor monitor = new GroupLagMonitor(redis, registry, Streams.MaxLengths.defaults(), Duration.ZERO, 0.5);
        redis.stream(String.class).xgroupCreate(stream, "slow", "0", new XGroupCreateArgs().mkstream());
        monitor.watch(stream, "slow", 100);
        assertThat(lagGauge()).as("not measured yet").isNaN();

        add(redis, 1, 30);
        GroupLag lag = only(monitor.check());
        assertThat(lag.lag()).isEqualTo(30);
        assertThat(lag.estimated()).isTrue();
        assertThat(lag.headroomUsed()).isEqualTo(0.3);
        assertThat(StreamLagHealth.of(monitor).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        add(redis, 31, 70);
        lag = only(monitor.check());
        assertThat(lag.lag()).isEqualTo(70);
        assertThat(lagGauge()).isEqualTo(70.0);
        assertThat(registry.get(GroupLagMonitor.HEADROOM_METRIC).tag("stream", stream).tag("group", "slow").gauge().value())
                .isEqualTo(0.7);
        HealthCheckResponse down = StreamLagHealth.of(monitor);
        assertThat(down.getName()).isEqualTo("stream-lag");
        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.getData().orElseThrow())
                .containsEntry("stream", stream)
                .containsEntry("group", "slow")
                .containsEntry("lag", 70L)
                .containsEntry("maxLength", 100L)
                .containsKey("degraded");

        // Reads 60, acknowledges 50: the 10 pending ones count as lag too, from the oldest (entry 51) on.
        List<StreamMessage<String, String, String>> read = redis.stream(String.class)
                .xreadgroup("slow", "c1", stream, ">", new XReadGroupArgs().count(60));
        assertThat(read).hasSize(60);
        redis.stream(String.class).xack(stream, "slow", read.subList(0, 50).stream().map(StreamMessage::id).toArray(String[]::new));
        lag = only(monitor.check());
        assertThat(lag.pending()).isEqualTo(10);
        assertThat(lag.lag()).as("entries 51 to 70").isBetween(19L, 20L);
        assertThat(StreamLagHealth.of(monitor).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        redis.stream(String.class).xack(stream, "slow", read.subList(50, 60).stream().map(StreamMessage::id).toArray(String[]::new));
        redis.stream(String.class).xreadgroup("slow", "c1", stream, ">", new XReadGroupArgs().count(100))
                .forEach(m -> redis.stream(String.class).xack(stream, "slow", m.id()));
        lag = only(monitor.check());
        assertThat(lag.lag()).isZero();
        assertThat(lagGauge()).isZero();
    }

    @Test
    void aProtocolStreamIsWatchedAgainstItsConfiguredMaxLength() {
        GroupLagMonitor configured = new GroupLagMonitor(redis, registry,
                Streams.MaxLengths.defaults().with(Streams.Limit.EVENTS, 1234), Duration.ZERO, 0.5);
        try {
            String group = "lag-test-" + UUID.randomUUID();
            configured.watch(Streams.EVENTS, group);
            assertThat(configured.check()).singleElement().satisfies(l -> {
                assertThat(l.maxLength()).isEqualTo(1234);
                assertThat(l.group()).isEqualTo(group);
            });
        } finally {
            configured.close();
        }
    }

    @Test
    void aGroupThatDoesNotExistYetIsNotMeasuredAndAStreamThatDoesNotExistHasNoLag() {
        redis.stream(String.class).xgroupCreate(stream, "other", "0", new XGroupCreateArgs().mkstream());
        add(redis, 1, 3);
        monitor.watch(stream, "not-yet", 100);
        assertThat(monitor.check()).isEmpty();
        assertThat(StreamLagHealth.of(monitor).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(monitor.measure("test:lag:absent-" + UUID.randomUUID(), "g", 100))
                .hasValueSatisfying(l -> assertThat(l.lag()).isZero());
    }

    @Test
    void theEstimateInterpolatesOverTimeAndSequence() {
        GroupLagMonitor.Id first = new GroupLagMonitor.Id(1000, 0);
        GroupLagMonitor.Id last = new GroupLagMonitor.Id(2000, 0);
        // Half way through the stream's time span: about half of its entries.
        assertThat(GroupLagMonitor.estimate(100, first, last, new GroupLagMonitor.Id(1500, 0), new GroupLagMonitor.Id(1500, 0), 0))
                .isEqualTo(50);
        // Before the first entry (never read, or trimmed past): everything.
        assertThat(GroupLagMonitor.estimate(100, first, last, GroupLagMonitor.Id.ZERO, GroupLagMonitor.Id.ZERO, 0)).isEqualTo(100);
        // At the end: nothing but what is pending.
        assertThat(GroupLagMonitor.estimate(100, first, last, last, last, 0)).isZero();
        // All in one millisecond: the sequence numbers count the entries.
        assertThat(GroupLagMonitor.estimate(10, new GroupLagMonitor.Id(5, 0), new GroupLagMonitor.Id(5, 9),
                new GroupLagMonitor.Id(5, 6), new GroupLagMonitor.Id(5, 6), 0)).isEqualTo(3);
        // Something after the last delivered entry is at least one entry behind.
        GroupLagMonitor.Id almostLast = new GroupLagMonitor.Id(1999, 0);
        assertThat(GroupLagMonitor.estimate(10, first, last, almostLast, almostLast, 0)).isEqualTo(1);
        // Pending entries count however the interpolation rounds.
        assertThat(GroupLagMonitor.estimate(10, first, last, almostLast, last, 4)).isEqualTo(4);
    }

    private void add(RedisDataSource redis, int from, int to) {
        for (int i = from; i <= to; i++) {
            redis.execute("XADD", stream, (i * 1000L) + "-0", Streams.PAYLOAD_FIELD, "{\"n\":" + i + "}");
        }
    }

    private double lagGauge() {
        return registry.get(GroupLagMonitor.LAG_METRIC).tag("stream", stream).tag("group", "slow").gauge().value();
    }

    private static GroupLag only(List<GroupLag> lags) {
        assertThat(lags).hasSize(1);
        return lags.get(0);
    }
}
