package io.keisei.common.stream;

import io.keisei.contracts.MetricUpdate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that fails (PostgreSQL down) while new entries arrive: the consumer retries its own failed batch,
 * backing off between attempts, before it reads anything newer, so every entry is handled once, in stream order.
 */
class GroupConsumerOrderTest {

    private final RedisDataSource redis = TestRedis.get();
    private final StreamPublisher publisher = new StreamPublisher(redis);

    @Test
    void afterAFailedBatchTheConsumerFinishesItsOwnPendingEntriesBeforeReadingNewOnes() {
        String stream = "test:order:" + UUID.randomUUID();
        List<String> published = Collections.synchronizedList(new ArrayList<>());
        for (int i = 1; i <= 5; i++) {
            published.add(publish(stream, i));
        }
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> failedBatches = Collections.synchronizedList(new ArrayList<>());
        List<Long> attemptTimes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger calls = new AtomicInteger();
        GroupConsumer.Settings settings = new GroupConsumer.Settings(5, Duration.ofMillis(100), Duration.ofSeconds(60),
                Duration.ofMillis(300));
        try (GroupConsumer<MetricUpdate> consumer = new GroupConsumer<>(redis, new SimpleMeterRegistry(), stream, "order",
                "c1", MetricUpdate.class, settings, batch -> {
                    int call = calls.incrementAndGet();
                    attemptTimes.add(System.nanoTime());
                    List<String> ids = batch.stream().map(GroupConsumer.Received::id).toList();
                    if (call == 1) {
                        // Entries keep arriving during the outage.
                        for (int i = 6; i <= 15; i++) {
                            published.add(publish(stream, i));
                        }
                    }
                    if (call <= 2) {
                        failedBatches.add(ids);
                        throw new IllegalStateException("database down");
                    }
                    handled.addAll(ids);
                })) {
            consumer.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() >= 15);
            assertThat(handled).as("every entry once, in stream order").containsExactlyElementsOf(published);
            assertThat(failedBatches).as("the failed batch was retried, not overtaken")
                    .containsExactly(published.subList(0, 5), published.subList(0, 5));
            assertThat(Duration.ofNanos(attemptTimes.get(1) - attemptTimes.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            assertThat(Duration.ofNanos(attemptTimes.get(2) - attemptTimes.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(250));
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    redis.stream(String.class).xpending(stream, "order").getPendingCount() == 0);
        }
    }

    private String publish(String stream, int step) {
        return publisher.publish(stream, MetricUpdate.of("order-test", 1, step, step, Map.of("x", (double) step)), 10_000);
    }
}
