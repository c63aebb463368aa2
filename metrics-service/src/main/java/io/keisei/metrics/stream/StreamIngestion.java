package io.keisei.metrics.stream;

import io.keisei.common.stream.ConsumerNames;
import io.keisei.common.stream.GroupConsumer;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.metrics.config.IngestConfig;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.persistence.TierRebuild;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs this replica's consumers: metric updates into points, lifecycle events into markers.
 * Both use the consumer group "metrics-service", so replicas share the work.
 */
@ApplicationScoped
public class StreamIngestion {

    public static final String GROUP = "metrics-service";

    private final RedisDataSource redis;
    private final MeterRegistry registry;
    private final PointWriter writer;
    private final IngestConfig config;
    private final TierRebuild tierRebuild;
    private GroupConsumer<MetricUpdate> metrics;
    private GroupConsumer<LifecycleEvent> events;

    public StreamIngestion(RedisDataSource redis, MeterRegistry registry, PointWriter writer, IngestConfig config,
                           TierRebuild tierRebuild) {
        this.redis = redis;
        this.tierRebuild = tierRebuild;
        this.registry = registry;
        this.writer = writer;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) throws java.sql.SQLException {
        // Points stored before tiers existed get their tiers before new points are merged into them.
        tierRebuild.backfillIfMissing();
        String consumer = ConsumerNames.forThisReplica(config.consumerName().orElse(null));
        GroupConsumer.Settings settings = new GroupConsumer.Settings(config.batchSize(), config.block(),
                config.claimIdle(), java.time.Duration.ofSeconds(1));
        metrics = new GroupConsumer<>(redis, registry, Streams.METRICS, GROUP, consumer, MetricUpdate.class, settings,
                writer::writePoints);
        events = new GroupConsumer<>(redis, registry, Streams.EVENTS, GROUP, consumer, LifecycleEvent.class, settings,
                writer::writeEvents);
        metrics.start();
        events.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (metrics != null) {
            metrics.close();
        }
        if (events != null) {
            events.close();
        }
    }
}
