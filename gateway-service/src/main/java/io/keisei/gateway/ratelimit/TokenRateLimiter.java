package io.keisei.gateway.ratelimit;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A fixed one-second window per token, counted in Redis so every gateway replica draws on the same
 * budget. When Redis is unreachable the limiter lets requests through (fail open): losing rate
 * limiting for a moment is better than losing the API.
 */
@ApplicationScoped
public class TokenRateLimiter {

    private static final Logger LOG = Logger.getLogger(TokenRateLimiter.class);

    /** {@code retryAfterSeconds} is 0 when allowed. */
    public record Decision(boolean allowed, long count, int limit, int retryAfterSeconds) {
    }

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final GatewayConfig.RateLimit config;
    private volatile long lastFailureLog;

    public TokenRateLimiter(RedisDataSource redis, GatewayConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config.rateLimit();
    }

    public Decision check(String tokenId) {
        if (!config.enabled()) {
            return new Decision(true, 0, config.perSecond(), 0);
        }
        long second = System.currentTimeMillis() / 1000;
        String key = "keisei:ratelimit:" + tokenId + ":" + second;
        try {
            long count = counters.incr(key);
            if (count == 1) {
                keys.expire(key, 2);
            }
            return count <= config.perSecond()
                    ? new Decision(true, count, config.perSecond(), 0)
                    : new Decision(false, count, config.perSecond(), 1);
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                LOG.warnf("rate limiting skipped: Redis unavailable (%s)", e.getMessage());
            }
            return new Decision(true, 0, config.perSecond(), 0);
        }
    }
}
