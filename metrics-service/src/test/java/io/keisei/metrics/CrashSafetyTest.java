package io.keisei.metrics;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.GroupConsumer;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.stream.IngestConsumer;
import io.keisei.metrics.support.Db;
import io.keisei.metrics.support.RandomRun;
import io.keisei.metrics.support.ReferenceModel;
import io.keisei.metrics.support.TierAssertions;
import io.keisei.testsupport.KeiseiInfraResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crashes between commit and XACK: a second consumer group on the same stream commits batches and
 * then fails before acknowledging, so its entries are re-delivered (XAUTOCLAIM) and written again,
 * concurrently with the service's own group. After all that, the points stored are exactly the
 * points published (by the storage rules), and the tiers agree with them.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class CrashSafetyTest {

    @Inject
    StreamPublisher publisher;
    @Inject
    PointWriter writer;
    @Inject
    RedisDataSource redis;
    @Inject
    MeterRegistry registry;
    @Inject
    AgroalDataSource db;
    @Inject
    TierLevels levels;

    @Test
    void redeliveryAfterCommitLeavesExactlyThePublishedPoints() throws Exception {
        String session = "crash-" + UUID.randomUUID();
        String group = "crash-test-" + UUID.randomUUID();
        // Only entries published from now on (a group created by GroupConsumer would start at 0).
        redis.stream(String.class).xgroupCreate(Streams.METRICS, group, "$", new XGroupCreateArgs().mkstream());
        AtomicInteger crashes = new AtomicInteger(4);
        GroupConsumer.Settings settings = new GroupConsumer.Settings(97, Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofMillis(50));
        try (GroupConsumer<MetricUpdate> crashing = new GroupConsumer<>(redis, registry, Streams.METRICS, group, "victim",
                MetricUpdate.class, settings, batch -> {
                    writer.writePoints(batch);
                    if (crashes.getAndDecrement() > 0) {
                        throw new IllegalStateException("simulated crash after commit, before XACK");
                    }
                })) {
            crashing.start();
            List<MetricUpdate> run = RandomRun.generate(session, 42, 600);
            ReferenceModel model = new ReferenceModel();
            for (MetricUpdate u : run) {
                publisher.publish(Streams.METRICS, u, Streams.METRICS_MAXLEN);
                model.apply(u);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    crashes.get() < 0
                            && redis.stream(String.class).xpending(Streams.METRICS, group).getPendingCount() == 0
                            && redis.stream(String.class).xpending(Streams.METRICS, IngestConsumer.GROUP).getPendingCount() == 0
                            && Db.points(db, session).equals(model.points()));
            assertThat(Db.points(db, session)).isEqualTo(model.points());
            TierAssertions.assertMatches(Db.tiers(db, session), model.tiers(levels.toArray()));
        }
    }
}
