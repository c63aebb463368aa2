package io.keisei.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.contracts.Channels;
import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Two-level cache for read-mostly answers (config schema, defaults, templates, session configs,
 * model metadata): an in-process Caffeine cache in front of Redis, both bounded by TTL and the
 * in-process one by size. Invalidation removes a key prefix from Redis and tells every replica
 * ({@link Invalidations}, Redis pub/sub) to drop it from memory, so a change made through one gateway is seen by
 * all; a replica that may have missed such a message drops its whole in-process level. Redis trouble degrades
 * to the in-process level only, never to an error.
 */
@ApplicationScoped
public class ResponseCache {

    private static final Logger LOG = Logger.getLogger(ResponseCache.class);
    private static final String REDIS_PREFIX = "keisei:gwcache:";

    private final Cache<String, CachedResponse> local;
    private final ValueCommands<String, String> redisValues;
    private final KeyCommands<String> redisKeys;
    private final Invalidations invalidations;
    private final GatewayConfig.Cache config;
    private final Counter hitsLocal;
    private final Counter hitsRedis;
    private final Counter misses;

    public ResponseCache(GatewayConfig config, RedisDataSource redis, Invalidations invalidations, MeterRegistry registry) {
        this.config = config.cache();
        this.local = Caffeine.newBuilder().maximumSize(this.config.maxEntries()).expireAfterWrite(this.config.ttl()).build();
        this.redisValues = redis.value(String.class);
        this.redisKeys = redis.key();
        this.invalidations = invalidations;
        this.hitsLocal = registry.counter("keisei_gateway_cache_requests_total", "result", "hit_local");
        this.hitsRedis = registry.counter("keisei_gateway_cache_requests_total", "result", "hit_redis");
        this.misses = registry.counter("keisei_gateway_cache_requests_total", "result", "miss");
    }

    void on(@Observes Invalidations.Message m) {
        if (Channels.GATEWAY_CACHE_INVALIDATE.equals(m.channel()) && m.payload() != null) {
            dropLocal(m.payload());
        }
    }

    /** Invalidations may have been missed: nothing in memory is trusted any longer (Redis' copies have their TTL). */
    void on(@Observes Invalidations.Resync ignored) {
        local.invalidateAll();
    }

    /**
     * The cached answer for {@code key}, or the loader's; the loader returns empty for answers that must not be
     * cached (errors, oversized bodies), in which case the caller serves the downstream answer itself.
     */
    public Optional<CachedResponse> get(String key, Supplier<Optional<CachedResponse>> loader) {
        CachedResponse hit = local.getIfPresent(key);
        if (hit != null) {
            hitsLocal.increment();
            return Optional.of(hit);
        }
        CachedResponse fromRedis = readRedis(key);
        if (fromRedis != null) {
            hitsRedis.increment();
            local.put(key, fromRedis);
            return Optional.of(fromRedis);
        }
        misses.increment();
        Optional<CachedResponse> loaded = loader.get();
        loaded.filter(r -> r.body().length <= config.maxBodyBytes()).ifPresent(r -> {
            local.put(key, r);
            writeRedis(key, r);
        });
        return loaded;
    }

    /** Drops every key starting with {@code prefix}, here, in Redis and on the other replicas. */
    public void invalidate(String prefix) {
        dropLocal(prefix);
        try {
            for (String k : redisKeys.scan(new KeyScanArgs().match(REDIS_PREFIX + globEscape(prefix) + "*").count(500)).toIterable()) {
                redisKeys.del(k);
            }
            invalidations.publish(Channels.GATEWAY_CACHE_INVALIDATE, prefix);
        } catch (RuntimeException e) {
            LOG.debugf("cache invalidation in Redis failed: %s", e.getMessage());
        }
    }

    public static String etagOf(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void dropLocal(String prefix) {
        local.asMap().keySet().removeIf(k -> k.startsWith(prefix));
    }

    private CachedResponse readRedis(String key) {
        try {
            String v = redisValues.get(REDIS_PREFIX + key);
            if (v == null) {
                return null;
            }
            String[] parts = v.split("\n", 3);
            return new CachedResponse(parts[0], parts[1], Base64.getDecoder().decode(parts[2]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void writeRedis(String key, CachedResponse r) {
        try {
            String v = r.contentType() + "\n" + r.etag() + "\n" + Base64.getEncoder().encodeToString(r.body());
            redisValues.set(REDIS_PREFIX + key, v, new SetArgs().px(config.ttl()));
        } catch (RuntimeException e) {
            LOG.debugf("cache write to Redis failed: %s", e.getMessage());
        }
    }

    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
