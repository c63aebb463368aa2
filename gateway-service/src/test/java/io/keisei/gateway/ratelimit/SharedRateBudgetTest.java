package io.keisei.gateway.ratelimit;

import io.keisei.gateway.config.GatewayConfig;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway replicas (two limiters on the suite's real Redis) share one token's budget: what one
 * admitted is refused by the other after a sync, and a new second starts a fresh budget.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class SharedRateBudgetTest {

    @Inject
    RedisDataSource redis;

    private static GatewayConfig.RateLimit limit(int perSecond) {
        return new GatewayConfig.RateLimit() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public int perSecond() {
                return perSecond;
            }

            @Override
            public Duration syncInterval() {
                return Duration.ofMillis(50);
            }
        };
    }

    @Test
    void replicasShareOneBudgetPerTokenAndSecond() {
        // A fixed clock: the test decides when the second changes, whatever the machine's speed.
        AtomicLong now = new AtomicLong(4_000_000_000_000L + System.nanoTime() % 1_000_000 * 1000);
        TokenRateLimiter a = new TokenRateLimiter(redis, limit(10), now::get);
        TokenRateLimiter b = new TokenRateLimiter(redis, limit(10), now::get);
        String token = "shared-" + System.nanoTime();

        for (int i = 0; i < 6; i++) {
            assertThat(a.check(token).allowed()).as("replica A request %d", i + 1).isTrue();
        }
        a.sync();
        assertThat(b.check(token).allowed()).as("B's first request, before B knows A's share").isTrue();
        b.sync();
        // B now knows A took 6: only 3 more fit in the budget of 10.
        int admittedByB = 1;
        while (b.check(token).allowed()) {
            admittedByB++;
            assertThat(admittedByB).as("B keeps admitting beyond the shared budget").isLessThanOrEqualTo(10);
        }
        assertThat(admittedByB).isEqualTo(4);
        b.sync();
        a.sync();
        TokenRateLimiter.Decision refused = a.check(token);
        assertThat(refused.allowed()).as("A after learning B's share").isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(redis.value(Long.class).get(TokenRateLimiter.KEY_PREFIX + token + ":" + now.get() / 1000))
                .as("every attempt of both replicas in the shared counter").isEqualTo(6 + 5 + 0L);

        now.addAndGet(1000);
        assertThat(a.check(token).allowed()).as("a new second, a new budget").isTrue();
        assertThat(b.check("another-" + token).allowed()).as("other tokens are untouched").isTrue();
    }

    @Test
    void oneReplicaEnforcesTheExactLimitWithoutWaitingForASync() {
        AtomicLong now = new AtomicLong(4_100_000_000_000L + System.nanoTime() % 1_000_000 * 1000);
        TokenRateLimiter only = new TokenRateLimiter(redis, limit(5), now::get);
        String token = "alone-" + System.nanoTime();
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            if (only.check(token).allowed()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(5);
    }
}
