package io.keisei.common.health;

import io.smallrye.mutiny.Uni;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A wellness answer about a dependency (Redis, PostgreSQL) that never keeps the health endpoint
 * waiting longer than {@code timeout}, even when the dependency hangs (a stopped process accepts
 * connections and never answers): UP when the last ping answered, DOWN with {@code error} and
 * {@code downSince} (ISO-8601) when it failed or did not answer in time.
 *
 * <p>At most one ping is in flight: a check while one still waits does not send another but waits for
 * the same one, for what is left of its timeout (nothing once it is older than that), so a hung
 * dependency never piles up pings, threads or pooled connections. Non-blocking: {@link #check()}
 * returns at once and its answer comes within the timeout; {@link #unavailable()} says what the last check saw.
 * Goes DOWN and back UP with one log line each.
 */
public final class DependencyProbe {

    /** The bound on a check, when the service sets none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(800);

    private static final Logger LOG = Logger.getLogger(DependencyProbe.class);

    private final String name;
    private final Duration timeout;
    private final Supplier<? extends CompletionStage<?>> ping;
    private final Clock clock;

    private CompletableFuture<?> inFlight;
    private long inFlightSinceNanos;
    private Instant downSince;
    private String lastError;

    /**
     * @param name    the check's name ("redis", "postgresql")
     * @param timeout the longest a check waits for the ping
     * @param ping    sends one ping; its stage completes when the dependency answered, exceptionally when it failed.
     *                It must not block (run blocking work on an executor of its own)
     */
    public DependencyProbe(String name, Duration timeout, Supplier<? extends CompletionStage<?>> ping) {
        this(name, timeout, ping, Clock.systemUTC());
    }

    DependencyProbe(String name, Duration timeout, Supplier<? extends CompletionStage<?>> ping, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of the " + name + " check must be positive");
        }
        this.name = name;
        this.timeout = timeout;
        this.ping = ping;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public Duration timeout() {
        return timeout;
    }

    /** The answer of a ping, within the timeout. */
    public Uni<HealthCheckResponse> check() {
        CompletableFuture<?> current;
        long ageNanos;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = send();
                inFlightSinceNanos = System.nanoTime();
            }
            current = inFlight;
            ageNanos = System.nanoTime() - inFlightSinceNanos;
        }
        long leftNanos = timeout.toNanos() - ageNanos;
        if (leftNanos <= 0 && !current.isDone()) {
            return Uni.createFrom().item(down("no answer for " + Duration.ofNanos(ageNanos).toMillis() + " ms"));
        }
        // A copy: the timeout below cancels what it waits for, and the ping itself is shared.
        return Uni.createFrom().completionStage(current.copy())
                .onItem().transform(ignored -> up())
                .onFailure().recoverWithItem(e -> down(describe(e)))
                .ifNoItem().after(Duration.ofNanos(Math.max(leftNanos, 1)))
                .recoverWithItem(() -> down("no answer within " + timeout.toMillis() + " ms"));
    }

    /** Whether the last check, or the last ping to end, found the dependency unavailable. */
    public synchronized boolean unavailable() {
        return downSince != null;
    }

    private CompletableFuture<?> send() {
        CompletableFuture<?> f;
        try {
            f = ping.get().toCompletableFuture();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        // A ping that ends after its check gave up still tells whether the dependency is back.
        f.whenComplete((ok, e) -> {
            if (e == null) {
                up();
            } else {
                down(describe(e));
            }
        });
        return f;
    }

    private synchronized HealthCheckResponse up() {
        if (downSince != null) {
            LOG.infof("%s answers again (unavailable since %s)", name, downSince);
        }
        downSince = null;
        lastError = null;
        return HealthCheckResponse.named(name).up().build();
    }

    private synchronized HealthCheckResponse down(String error) {
        if (downSince == null) {
            downSince = clock.instant();
            LOG.warnf("%s is unavailable: %s (the service goes on degraded; /q/health/well says DOWN)", name, error);
        }
        lastError = error;
        return HealthCheckResponse.named(name).down()
                .withData("error", lastError)
                .withData("downSince", downSince.toString())
                .build();
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = t.getCause();
            message = cause != null && cause.getMessage() != null ? cause.getMessage() : t.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
