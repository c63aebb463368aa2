package io.keisei.metrics.stream;

import io.keisei.common.stream.ConsumerConfig;
import io.keisei.common.stream.GroupConsumer;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.metrics.config.IngestConfig;
import io.keisei.metrics.persistence.GameStore;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.persistence.TierRebuild;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs this replica's consumers: metric updates into points, lifecycle events into markers, game
 * states into games. All use the consumer group "metrics-service", so replicas share the work.
 */
@ApplicationScoped
public class IngestConsumer {

    public static final String GROUP = "metrics-service";

    private final RedisDataSource redis;
    private final MeterRegistry registry;
    private final PointWriter writer;
    private final IngestConfig config;
    private final TierRebuild tierRebuild;
    private final GameStore gameStore;
    private final List<AutoCloseable> running = new ArrayList<>();

    public IngestConsumer(RedisDataSource redis, MeterRegistry registry, PointWriter writer, IngestConfig config,
                           TierRebuild tierRebuild, GameStore gameStore) {
        this.redis = redis;
        this.gameStore = gameStore;
        this.tierRebuild = tierRebuild;
        this.registry = registry;
        this.writer = writer;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        // Points stored before tiers existed get their tiers before new points are merged into them.
        tierRebuild.backfillIfMissing();
        String consumer = ConsumerConfig.nameOf(config);
        running.add(metricConsumers(Streams.METRICS, GROUP, consumer));
        GroupConsumer<LifecycleEvent> events = new GroupConsumer<>(redis, registry, Streams.EVENTS, GROUP, consumer,
                LifecycleEvent.class, ConsumerConfig.settingsOf(config), writer::writeEvents);
        events.start();
        running.add(events);
        GroupConsumer<GameState> games = new GroupConsumer<>(redis, registry, Streams.GAMES, GROUP, consumer,
                GameState.class, ConsumerConfig.settingsOf(config), gameStore::writeGames);
        games.start();
        running.add(games);
    }

    /**
     * Starts the configured number of metric consumers on {@code stream} in {@code group}, named
     * {@code consumer}, {@code consumer-2}, ... (the benchmark runs the same set on its own stream).
     */
    public AutoCloseable metricConsumers(String stream, String group, String consumer) {
        List<GroupConsumer<MetricUpdate>> started = new ArrayList<>();
        for (int i = 1; i <= Math.max(1, config.consumers()); i++) {
            GroupConsumer<MetricUpdate> c = new GroupConsumer<>(redis, registry, stream, group,
                    i == 1 ? consumer : consumer + "-" + i, MetricUpdate.class, ConsumerConfig.settingsOf(config), writer::writePoints);
            c.start();
            started.add(c);
        }
        return () -> started.forEach(GroupConsumer::close);
    }

    void onStop(@Observes ShutdownEvent ev) throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }
}
