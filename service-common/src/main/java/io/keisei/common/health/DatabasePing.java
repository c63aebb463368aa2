package io.keisei.common.health;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The "postgresql" check: a connection from the service's pool and its validation query (JDBC's
 * {@link Connection#isValid}, which PostgreSQL's driver runs under a network timeout), bounded by
 * {@link DependencyProbe}. JDBC blocks, so the ping runs on a thread of its own (one at most, gone
 * after a minute idle); a connection that cannot be had within the pool's acquisition timeout holds
 * that thread, not the health endpoint.
 */
public final class DatabasePing {

    public static final String NAME = "postgresql";

    private DatabasePing() {
    }

    public static DependencyProbe probe(DataSource dataSource, Duration timeout) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "keisei-health-" + NAME);
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
        return new DependencyProbe(NAME, timeout, () -> CompletableFuture.runAsync(() -> validate(dataSource, seconds), executor));
    }

    private static void validate(DataSource dataSource, int seconds) {
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(seconds)) {
                throw new SQLException("no answer to the validation query within " + seconds + " s", "08006");
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }
}
