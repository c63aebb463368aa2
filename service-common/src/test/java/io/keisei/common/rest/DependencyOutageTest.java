package io.keisei.common.rest;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalConnectionFactoryConfigurationSupplier;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.keisei.common.health.DeadServers;
import io.keisei.common.rest.DependencyOutage.Dependency;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.runtime.datasource.BlockingRedisDataSourceImpl;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;
import io.vertx.redis.client.impl.types.ErrorType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Real failures of the PostgreSQL driver, Agroal and Quarkus's Redis data source against servers that
 * are down (nothing listening, a hung process, a connection closed mid-call) are outages; errors that
 * come from the request or from a bug are not, nor is a refused connection of any other client.
 */
class DependencyOutageTest {

    static Vertx vertx;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.closeAndAwait();
    }

    static Throwable connectPostgres(int port) {
        return catchThrowable(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/keisei?connectTimeout=2&socketTimeout=2", "u", "p").close());
    }

    static Optional<Dependency> outage(Throwable t) {
        return DependencyOutage.of(t).map(DependencyOutage::dependency);
    }

    @Test
    void postgresRefusingConnectionsIsAnOutage() {
        Throwable refused = connectPostgres(DeadServers.closedPort());
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(outage(refused)).contains(Dependency.POSTGRESQL);
        assertThat(DependencyOutage.of(refused).orElseThrow().reason()).startsWith("PSQLException 08001: Connection to 127.0.0.1:");
        // However a framework wraps it (Hibernate, a transaction, a service's own exception).
        assertThat(outage(new IllegalStateException("query failed", new RuntimeException(refused)))).contains(Dependency.POSTGRESQL);
    }

    @Test
    void postgresClosingTheConnectionIsAnOutage() {
        try (DeadServers.Server closing = DeadServers.closing()) {
            Throwable broken = connectPostgres(closing.port());
            assertThat(broken).isInstanceOf(SQLException.class);
            assertThat(outage(broken)).contains(Dependency.POSTGRESQL);
        }
    }

    @Test
    void postgresShuttingDownOrStartingIsAnOutage() {
        for (String state : new String[]{"57P01", "57P02", "57P03", "53300", "08006", "08003"}) {
            assertThat(outage(new SQLException("server says no", state))).as(state).contains(Dependency.POSTGRESQL);
        }
        assertThat(outage(new java.sql.SQLTransientConnectionException("pool"))).contains(Dependency.POSTGRESQL);
        assertThat(outage(new SQLException("I/O", null, new java.io.EOFException()))).contains(Dependency.POSTGRESQL);
    }

    @Test
    void noPooledConnectionWithinTheAcquisitionTimeoutIsAnOutage() throws Exception {
        try (DeadServers.Server hung = DeadServers.hanging();
             AgroalDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + hung.port() + "/keisei?connectTimeout=2&socketTimeout=2",
                     Duration.ofMillis(300))) {
            Throwable timeout = catchThrowable(() -> pool.getConnection().close());
            assertThat(timeout).isInstanceOf(SQLException.class).hasMessageContaining("cquisition timeout");
            assertThat(outage(timeout)).contains(Dependency.POSTGRESQL);
        }
        try (AgroalDataSource pool = pool("jdbc:postgresql://127.0.0.1:" + DeadServers.closedPort() + "/keisei",
                Duration.ofSeconds(2))) {
            assertThat(outage(catchThrowable(() -> pool.getConnection().close()))).contains(Dependency.POSTGRESQL);
        }
    }

    @Test
    void sqlErrorsOfTheRequestOrOfABugAreNot() {
        assertThat(outage(new SQLException("duplicate key value violates unique constraint", "23505"))).isEmpty();
        assertThat(outage(new SQLException("syntax error", "42601"))).isEmpty();
        assertThat(outage(new SQLException("no state"))).isEmpty();
        assertThat(outage(new IllegalStateException("a bug"))).isEmpty();
        assertThat(outage(new NullPointerException())).isEmpty();
    }

    @Test
    void redisRefusingConnectionsIsAnOutage() {
        Throwable refused = catchThrowable(() -> redis(DeadServers.closedPort(), Duration.ofSeconds(2)).value(String.class).get("k"));
        assertThat(outage(refused)).contains(Dependency.REDIS);
        assertThat(DependencyOutage.of(refused).orElseThrow().reason()).contains("Connection refused");
    }

    @Test
    void aHungRedisIsAnOutageOnceTheClientGivesUp() {
        try (DeadServers.Server hung = DeadServers.hanging()) {
            Throwable timeout = catchThrowable(() -> redis(hung.port(), Duration.ofMillis(300)).execute("PING"));
            assertThat(timeout).isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
            assertThat(outage(timeout)).contains(Dependency.REDIS);
        }
    }

    @Test
    void redisClosingTheConnectionIsAnOutage() {
        try (DeadServers.Server closing = DeadServers.closing()) {
            Throwable closed = catchThrowable(() -> redis(closing.port(), Duration.ofSeconds(2)).value(String.class).set("k", "v"));
            assertThat(outage(closed)).contains(Dependency.REDIS);
        }
    }

    @Test
    void redisSayingItCannotServeNowIsAnOutageButItsOtherErrorsAreNot() {
        assertThat(outage(ErrorType.create("LOADING Redis is loading the dataset in memory"))).contains(Dependency.REDIS);
        assertThat(outage(ErrorType.create("MASTERDOWN Link with MASTER is down"))).contains(Dependency.REDIS);
        assertThat(outage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))).isEmpty();
        assertThat(outage(ErrorType.create("ERR unknown command"))).isEmpty();
    }

    @Test
    void timeoutsAndRefusedConnectionsOfOtherClientsAreNotRedisOrDatabaseOutages() {
        Throwable refused = catchThrowable(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", DeadServers.closedPort()), 2000);
            }
        });
        assertThat(refused).isInstanceOf(ConnectException.class);
        assertThat(outage(refused)).isEmpty();
        assertThat(outage(new RuntimeException(refused))).isEmpty();
        Throwable timeout = catchThrowable(() -> Uni.createFrom().nothing().await().atMost(Duration.ofMillis(10)));
        assertThat(timeout).isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
        assertThat(outage(timeout)).isEmpty();
    }

    @Test
    void aCyclicCauseChainEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(outage(a)).isEmpty();
    }

    @Test
    void theProblemIs503WithRetryAfter() {
        ProblemException db = DependencyOutage.of(new SQLException("x", "08006")).orElseThrow().problem();
        assertThat(db.status()).isEqualTo(503);
        assertThat(db.retryAfterSeconds()).isEqualTo(DependencyOutage.RETRY_AFTER_SECONDS);
        assertThat(db.getMessage()).isEqualTo("the database is unavailable; try again shortly");
        assertThat(DependencyOutage.of(ErrorType.create("LOADING")).orElseThrow().problem().getMessage())
                .isEqualTo("Redis is unavailable; try again shortly");
    }

    static RedisDataSource redis(int port, Duration timeout) {
        Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
        return new BlockingRedisDataSourceImpl(vertx, client, RedisAPI.api(client), timeout);
    }

    static AgroalDataSource pool(String url, Duration acquisitionTimeout) throws SQLException {
        UnaryOperator<AgroalConnectionFactoryConfigurationSupplier> factory = f -> f
                .jdbcUrl(url).principal(new NamePrincipal("u")).credential(new SimplePassword("p"));
        return AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(p -> p
                .maxSize(1).acquisitionTimeout(acquisitionTimeout).connectionFactoryConfiguration(factory)));
    }
}
