package io.keisei.common.health;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dependency check answers within its timeout whatever the dependency does (refuses, hangs), never
 * sends a second ping while one is unanswered, says since when it is DOWN and why, and comes back UP.
 */
class DependencyProbeTest {

    static final Duration TIMEOUT = Duration.ofMillis(300);
    static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.closeAndAwait();
    }

    /** The answer and how long it took. */
    record Timed(HealthCheckResponse response, Duration took) {
        String data(String key) {
            return String.valueOf(response.getData().orElseThrow().get(key));
        }
    }

    static Timed check(DependencyProbe probe) {
        long start = System.nanoTime();
        HealthCheckResponse r = probe.check().await().atMost(Duration.ofSeconds(5));
        return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void aPingThatAnswersIsUpAndOneThatFailsIsDownWithSinceWhenAndWhy() {
        AtomicReference<CompletableFuture<Object>> next = new AtomicReference<>(CompletableFuture.completedFuture("PONG"));
        DependencyProbe probe = new DependencyProbe("redis", TIMEOUT, next::get);
        Timed up = check(probe);
        assertThat(up.response().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(up.response().getName()).isEqualTo("redis");
        assertThat(probe.unavailable()).isFalse();

        next.set(CompletableFuture.failedFuture(new IllegalStateException("Connection refused: /127.0.0.1:6379")));
        Timed down = check(probe);
        assertThat(down.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(down.data("error")).isEqualTo("Connection refused: /127.0.0.1:6379");
        Instant since = Instant.parse(down.data("downSince"));
        assertThat(since).isBeforeOrEqualTo(Instant.now());
        assertThat(probe.unavailable()).isTrue();
        assertThat(Instant.parse(check(probe).data("downSince"))).as("the outage's start, not the last check's").isEqualTo(since);

        next.set(CompletableFuture.completedFuture("PONG"));
        assertThat(check(probe).response().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(probe.unavailable()).isFalse();
    }

    @Test
    void aHungPingIsDownWithinTheTimeoutAndNotSentAgainUntilItEnds() {
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Object> hung = new CompletableFuture<>();
        DependencyProbe probe = new DependencyProbe("postgresql", TIMEOUT, () -> {
            sent.incrementAndGet();
            return hung;
        });
        Timed first = check(probe);
        assertThat(first.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(first.data("error")).isEqualTo("no answer within 300 ms");
        assertThat(first.took()).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(700));
        // The ping is older than the timeout: the next checks answer at once, without another ping.
        for (int i = 0; i < 5; i++) {
            Timed again = check(probe);
            assertThat(again.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(again.data("error")).startsWith("no answer for ");
            assertThat(again.took()).isLessThan(Duration.ofMillis(200));
        }
        assertThat(sent).hasValue(1);
        // It answers at last: that alone says the dependency is back, and the next check pings again.
        hung.complete("PONG");
        assertThat(probe.unavailable()).isFalse();
        assertThat(check(probe).response().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(sent).hasValue(2);
    }

    @Test
    void redisRefusingOrHangingIsDownWithinTheTimeout() {
        Redis refusing = Redis.createClient(vertx, "redis://127.0.0.1:" + DeadServers.closedPort());
        Timed refused = check(RedisPing.probe(refusing, TIMEOUT));
        assertThat(refused.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(refused.response().getName()).isEqualTo("redis");
        assertThat(refused.data("error")).contains("Connection refused");
        assertThat(refused.took()).isLessThan(Duration.ofSeconds(1));

        try (DeadServers.Server stopped = DeadServers.hanging()) {
            DependencyProbe probe = RedisPing.probe(Redis.createClient(vertx, "redis://127.0.0.1:" + stopped.port()), TIMEOUT);
            Timed hung = check(probe);
            assertThat(hung.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(hung.data("error")).isEqualTo("no answer within 300 ms");
            assertThat(hung.took()).isLessThan(Duration.ofSeconds(1));
            for (int i = 0; i < 3; i++) {
                assertThat(check(probe).took()).isLessThan(Duration.ofMillis(200));
            }
            assertThat(stopped.connections()).as("one connection for the one ping in flight").isEqualTo(1);
        }
    }

    @Test
    void postgresRefusingOrHangingIsDownWithinTheTimeout() {
        Timed refused = check(DatabasePing.probe(dataSource(DeadServers.closedPort()), TIMEOUT));
        assertThat(refused.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(refused.response().getName()).isEqualTo("postgresql");
        assertThat(refused.data("error")).startsWith("Connection to 127.0.0.1:").contains("refused");
        assertThat(refused.took()).isLessThan(Duration.ofSeconds(1));

        try (DeadServers.Server stopped = DeadServers.hanging()) {
            DependencyProbe probe = DatabasePing.probe(dataSource(stopped.port()), TIMEOUT);
            Timed hung = check(probe);
            assertThat(hung.response().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(hung.data("error")).isEqualTo("no answer within 300 ms");
            assertThat(hung.took()).isLessThan(Duration.ofSeconds(1));
            for (int i = 0; i < 3; i++) {
                assertThat(check(probe).took()).isLessThan(Duration.ofMillis(200));
            }
            assertThat(stopped.connections()).isEqualTo(1);
        }
    }

    static PGSimpleDataSource dataSource(int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/keisei");
        ds.setUser("u");
        ds.setPassword("p");
        ds.setSocketTimeout(3);
        return ds;
    }
}
