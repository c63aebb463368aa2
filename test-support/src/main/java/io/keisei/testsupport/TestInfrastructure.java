package io.keisei.testsupport;

import io.keisei.infra.PostgresServer;
import io.keisei.infra.RedisServer;

import java.util.concurrent.CompletableFuture;

/**
 * The PostgreSQL and Redis that tests run against: one pair per JVM, started in parallel on
 * first use, or the external servers named by {@code KEISEI_TEST_DB_URL} (a JDBC URL, with
 * {@code KEISEI_TEST_DB_USER} / {@code KEISEI_TEST_DB_PASSWORD}) and {@code KEISEI_TEST_REDIS_URL}.
 */
public final class TestInfrastructure {

    private static volatile TestInfrastructure instance;

    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String redisUrl;

    private TestInfrastructure(String jdbcUrl, String dbUser, String dbPassword, String redisUrl) {
        this.jdbcUrl = jdbcUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.redisUrl = redisUrl;
    }

    /** The shared servers, started on the first call. */
    public static TestInfrastructure get() {
        TestInfrastructure local = instance;
        if (local == null) {
            synchronized (TestInfrastructure.class) {
                local = instance;
                if (local == null) {
                    local = start();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static TestInfrastructure start() {
        String externalDb = System.getenv("KEISEI_TEST_DB_URL");
        String externalRedis = System.getenv("KEISEI_TEST_REDIS_URL");
        CompletableFuture<PostgresServer> pg = externalDb == null
                ? CompletableFuture.supplyAsync(() -> PostgresServer.start(null, 0, "keisei"))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<RedisServer> redis = externalRedis == null
                ? CompletableFuture.supplyAsync(() -> RedisServer.start(null, 0))
                : CompletableFuture.completedFuture(null);
        PostgresServer postgres = pg.join();
        RedisServer redisServer = redis.join();
        if (postgres != null || redisServer != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (redisServer != null) {
                    redisServer.close();
                }
                if (postgres != null) {
                    postgres.close();
                }
            }, "test-infrastructure-stop"));
        }
        return new TestInfrastructure(
                postgres != null ? postgres.jdbcUrl() : externalDb,
                postgres != null ? PostgresServer.USER : envOr("KEISEI_TEST_DB_USER", "postgres"),
                postgres != null ? PostgresServer.PASSWORD : envOr("KEISEI_TEST_DB_PASSWORD", "postgres"),
                redisServer != null ? redisServer.url() : externalRedis);
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    public String redisUrl() {
        return redisUrl;
    }
}
