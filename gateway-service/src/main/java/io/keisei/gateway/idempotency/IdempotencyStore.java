package io.keisei.gateway.idempotency;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * Keys in Redis, shared by every replica. A claim is {@code SET NX PX lease}: one request in the whole deployment wins
 * it. Completing and releasing check (in one Lua script) that the key still holds this request's claim, so a request
 * whose lease ran out never overwrites or frees a key that another request has claimed since (a lapsed claim that
 * nobody took is completed all the same: the answer is the key's). Failures of Redis are
 * the caller's to handle.
 */
@ApplicationScoped
public class IdempotencyStore {

    /**
     * KEYS[1] = key, ARGV[1] = the claim it must hold (or nothing: a lapsed claim no request has taken since),
     * ARGV[2] = the answered record, ARGV[3] = its TTL in ms.
     */
    private static final String COMPLETE = """
            local held = redis.call('GET', KEYS[1])
            if held == ARGV[1] or not held then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""";
    /** KEYS[1] = key, ARGV[1] = the claim it must hold. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    private final RedisDataSource redis;
    private final ValueCommands<String, String> values;
    private final GatewayConfig.Idempotency config;

    public IdempotencyStore(RedisDataSource redis, GatewayConfig config) {
        this.redis = redis;
        this.values = redis.value(String.class);
        this.config = config.idempotency();
    }

    /** How long a claim holds its key. */
    public Duration lease() {
        return config.lease();
    }

    /** Takes {@code key} for {@code claim} for at most the lease; false when it is taken already. */
    public boolean claim(String key, KeyRecord claim) {
        return values.setAndChanged(key, claim.encode(), new SetArgs().nx().px(config.lease()));
    }

    public Optional<KeyRecord> read(String key) {
        return KeyRecord.decode(values.get(key));
    }

    /** Replaces {@code claim} by {@code answered}, kept for the TTL; false when another request holds the key now. */
    public boolean complete(String key, KeyRecord claim, KeyRecord answered) {
        return redis.execute("EVAL", COMPLETE, "1", key, claim.encode(), answered.encode(),
                Long.toString(Math.max(1, config.ttl().toMillis()))).toInteger() == 1;
    }

    /** Frees {@code key} if it still holds {@code claim}, so that a retry is carried out. */
    public void release(String key, KeyRecord claim) {
        redis.execute("EVAL", RELEASE, "1", key, claim.encode());
    }
}
