package io.keisei.common.rest;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a failure that means PostgreSQL or Redis is unavailable (down, restarting, unreachable, not
 * answering in time) from a bug, by walking its cause chain. The first is the client's cue to retry
 * (503 with Retry-After, see {@link #problem()}), the second stays a 500.
 *
 * <p>PostgreSQL: an {@link SQLException} of SQLState class 08 (connection exception: refused, broken,
 * closed), 57P01/57P02/57P03 (the server shuts down or is starting), 53300 (it takes no more
 * connections), an {@link SQLTransientConnectionException}, Agroal's acquisition timeouts (no
 * connection within {@code acquisition-timeout}: none could be opened, or the pool is exhausted),
 * or a socket failure under any SQLException.
 *
 * <p>Redis (the Vert.x client behind Quarkus's data sources): a closed connection ({@code
 * CONNECTION_CLOSED}), the client's connect failure, a reply saying Redis cannot serve now (LOADING,
 * BUSY, MASTERDOWN, CLUSTERDOWN, TRYAGAIN), or a socket failure, a full connection pool or a timeout
 * raised by Redis client code (a Quarkus data source's {@code quarkus.redis.timeout}). A socket failure
 * that comes from neither (another service's HTTP client, say) is not an outage of either.
 */
public record DependencyOutage(Dependency dependency, String reason) {

    /** Seconds a client is asked to wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public enum Dependency {
        POSTGRESQL("PostgreSQL", "the database is unavailable; try again shortly"),
        REDIS("Redis", "Redis is unavailable; try again shortly");

        private final String label;
        private final String detail;

        Dependency(String label, String detail) {
            this.label = label;
            this.detail = detail;
        }

        public String label() {
            return label;
        }

        /** What a client reads in the problem's detail. */
        public String detail() {
            return detail;
        }
    }

    private static final int MAX_DEPTH = 32;
    private static final Set<String> POSTGRES_UNAVAILABLE = Set.of(
            "57P01",  // admin_shutdown
            "57P02",  // crash_shutdown
            "57P03",  // cannot_connect_now (starting up, recovering)
            "53300"); // too_many_connections
    private static final String REDIS_ERROR_TYPE = "io.vertx.redis.client.impl.types.ErrorType";
    private static final List<String> REDIS_UNAVAILABLE_REPLIES = List.of("CONNECTION_CLOSED", "LOADING", "BUSY",
            "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");

    /** The 503 a client gets: the dependency's detail and Retry-After. */
    public ProblemException problem() {
        return ProblemException.unavailable(dependency.detail(), RETRY_AFTER_SECONDS);
    }

    /** The outage {@code failure} stands for, or empty when it is something else (a bug, a refused request). */
    public static Optional<DependencyOutage> of(Throwable failure) {
        List<Throwable> chain = chain(failure);
        Optional<DependencyOutage> pg = postgres(chain);
        return pg.isPresent() ? pg : redis(chain);
    }

    private static Optional<DependencyOutage> postgres(List<Throwable> chain) {
        boolean underSql = false;
        for (Throwable t : chain) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                String message = s.getMessage() == null ? "" : s.getMessage().toLowerCase(Locale.ROOT);
                if (s instanceof SQLTransientConnectionException
                        || state != null && (state.startsWith("08") || POSTGRES_UNAVAILABLE.contains(state))
                        || message.contains("acquisition timeout")) { // Agroal: "Sorry, acquisition timeout!" and others
                    return found(Dependency.POSTGRESQL, t);
                }
                underSql = true;
            } else if (underSql && t instanceof IOException) {
                return found(Dependency.POSTGRESQL, t);
            }
        }
        return Optional.empty();
    }

    private static Optional<DependencyOutage> redis(List<Throwable> chain) {
        boolean transport = false;
        for (Throwable t : chain) {
            String type = t.getClass().getName();
            if (type.equals(REDIS_ERROR_TYPE) && t.getMessage() != null
                    && REDIS_UNAVAILABLE_REPLIES.stream().anyMatch(t.getMessage()::startsWith)) {
                return found(Dependency.REDIS, t);
            }
            if (type.startsWith("io.vertx.redis.") && t instanceof IOException) {
                return found(Dependency.REDIS, t); // RedisConnectException
            }
            transport |= t instanceof IOException
                    || t instanceof java.util.concurrent.TimeoutException
                    || type.equals("io.smallrye.mutiny.TimeoutException")
                    || type.equals("io.vertx.core.http.ConnectionPoolTooBusyException");
        }
        if (transport && chain.stream().anyMatch(DependencyOutage::raisedByRedisClient)) {
            return found(Dependency.REDIS, chain.get(chain.size() - 1));
        }
        return Optional.empty();
    }

    private static boolean raisedByRedisClient(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("io.quarkus.redis.") || c.startsWith("io.vertx.redis.") || c.startsWith("io.vertx.mutiny.redis.")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<DependencyOutage> found(Dependency d, Throwable t) {
        String state = t instanceof SQLException s && s.getSQLState() != null ? " " + s.getSQLState() : "";
        String message = t.getMessage() == null ? "" : ": " + firstLine(t.getMessage());
        return Optional.of(new DependencyOutage(d, t.getClass().getSimpleName() + state + message));
    }

    /** The failure and its causes, outermost first, each once. */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
