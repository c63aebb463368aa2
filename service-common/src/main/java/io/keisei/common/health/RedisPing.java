package io.keisei.common.health;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

import java.time.Duration;

/**
 * The "redis" check: a {@code PING} through the service's Redis client (its pool, so it sees what the
 * service's own commands see), bounded by {@link DependencyProbe}. The client is non-blocking: a PING to
 * a Redis that hangs waits on its connection, not on a thread, and only one waits at a time.
 */
public final class RedisPing {

    public static final String NAME = "redis";

    private RedisPing() {
    }

    public static DependencyProbe probe(Redis redis, Duration timeout) {
        return new DependencyProbe(NAME, timeout, () -> redis.send(Request.cmd(Command.PING)).subscribeAsCompletionStage());
    }
}
