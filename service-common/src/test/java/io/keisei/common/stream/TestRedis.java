package io.keisei.common.stream;

import io.keisei.infra.RedisServer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Redis for the stream tests of this library, outside Quarkus: the embedded server (6.2), or the one at
 * KEISEI_TEST_REDIS_URL; every test uses streams of its own.
 */
final class TestRedis {

    private static String url;
    private static final Map<String, RedisDataSource> DATA_SOURCES = new HashMap<>();

    private TestRedis() {
    }

    /** A data source that talks as the services' does (the client's default protocol). */
    static RedisDataSource get() {
        return get(null);
    }

    /** A data source that talks RESP2 or RESP3, whose replies (XINFO's, for one) differ in shape. */
    static synchronized RedisDataSource get(ProtocolVersion protocol) {
        String key = protocol == null ? "default" : protocol.name();
        RedisDataSource ds = DATA_SOURCES.get(key);
        if (ds != null) {
            return ds;
        }
        if (url == null) {
            String external = System.getenv("KEISEI_TEST_REDIS_URL");
            RedisServer server = external == null || external.isBlank() ? RedisServer.start(null, 0) : null;
            url = server != null ? server.url() : external;
            if (server != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-redis-stop"));
            }
        }
        RedisOptions options = new RedisOptions().setConnectionString(url).setMaxPoolSize(8).setMaxPoolWaiting(64);
        if (protocol != null) {
            options.setPreferredProtocolVersion(protocol);
        }
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, options);
        ds = new BlockingRedisDataSourceImpl(vertx, client, RedisAPI.api(client), Duration.ofSeconds(10));
        DATA_SOURCES.put(key, ds);
        return ds;
    }
}
