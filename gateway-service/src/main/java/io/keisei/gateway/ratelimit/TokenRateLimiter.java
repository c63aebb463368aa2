package io.keisei.gateway.ratelimit;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A fixed one-second window per token whose budget all gateway replicas share, decided without a
 * Redis round trip per request.
 *
 * <p>Each replica counts its own requests in memory and decides on {@code own + others}, where
 * {@code others} is what the other replicas had admitted at the last sync. Every sync interval
 * (50 ms by default) it adds its new requests to the window's counter in Redis with one INCRBY per
 * active token (a GET when it has nothing new) and learns the total. With one replica the limit is
 * exact; with several, a token can overshoot by at most what the other replicas admitted within one
 * sync interval. Decisions never wait on Redis: a round trip per request would hold a request thread
 * for the whole trip and make Redis the ceiling of every endpoint, even the ones served from memory.
 *
 * <p>When Redis is unreachable each replica still enforces the limit on its own requests.
 */
@ApplicationScoped
public class TokenRateLimiter {

    private static final Logger LOG = Logger.getLogger(TokenRateLimiter.class);
    static final String KEY_PREFIX = "keisei:ratelimit:";

    /** {@code retryAfterSeconds} is 0 when allowed. */
    public record Decision(boolean allowed, long count, int limit, int retryAfterSeconds) {
    }

    /** One token's current window on this replica. */
    private static final class Window {
        final long second;
        /** Requests this replica counted in the window, admitted or not (every attempt spends budget, so retrying a refused request does not help). */
        long own;
        /** Of {@link #own}, what Redis already knows. */
        long flushed;
        /** The other replicas' share at the last sync. */
        long others;

        Window(long second) {
            this.second = second;
        }
    }

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final GatewayConfig.RateLimit config;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private ScheduledExecutorService syncer;
    private volatile long lastFailureLog;

    @Inject
    public TokenRateLimiter(RedisDataSource redis, GatewayConfig config) {
        this(redis, config.rateLimit(), System::currentTimeMillis);
    }

    TokenRateLimiter(RedisDataSource redis, GatewayConfig.RateLimit config, LongSupplier clock) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config;
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent ignored) {
        if (!config.enabled()) {
            return;
        }
        syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rate-limit-sync");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.syncInterval().toMillis());
        syncer.scheduleWithFixedDelay(this::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ignored) {
        if (syncer != null) {
            syncer.shutdownNow();
        }
    }

    public Decision check(String tokenId) {
        if (!config.enabled()) {
            return new Decision(true, 0, config.perSecond(), 0);
        }
        long second = clock.getAsLong() / 1000;
        Window w = windows.get(tokenId);
        if (w == null || w.second != second) { // once per token and second: the capturing lambda is not on every request
            w = windows.compute(tokenId, (k, old) -> old == null || old.second != second ? new Window(second) : old);
        }
        long count;
        synchronized (w) {
            w.own++;
            count = w.own + w.others;
        }
        return count <= config.perSecond()
                ? new Decision(true, count, config.perSecond(), 0)
                : new Decision(false, count, config.perSecond(), 1);
    }

    /** Adds this replica's new requests to Redis and learns the other replicas' share; drops finished windows. */
    void sync() {
        long second = clock.getAsLong() / 1000;
        for (Map.Entry<String, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            if (w.second < second - 1) {
                windows.remove(e.getKey(), w);
                continue;
            }
            long delta;
            synchronized (w) {
                delta = w.own - w.flushed;
            }
            String key = KEY_PREFIX + e.getKey() + ":" + w.second;
            long total;
            if (delta == 0) {
                // Nothing new here, but the other replicas may have spent the budget meanwhile.
                Long seen = counters.get(key);
                total = seen == null ? 0 : seen;
            } else {
                total = counters.incrby(key, delta);
                if (total == delta) {
                    keys.expire(key, 3);
                }
            }
            synchronized (w) {
                w.flushed += delta;
                // Everything in Redis that is not ours came from other replicas.
                w.others = Math.max(w.others, total - w.flushed);
            }
        }
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                LOG.warnf("rate limit budget not shared with other replicas: Redis unavailable (%s); each replica enforces it alone",
                        e.getMessage());
            }
        }
    }
}
