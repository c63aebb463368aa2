package io.keisei.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How many requests with a bad or missing token each client address may make per window. Past
 * that, its requests that are not already known to be valid get 429 with Retry-After without a
 * token lookup: a client guessing or replaying tokens cannot put its load on PostgreSQL or on the
 * requests of everyone else.
 */
public final class FailedAuthBudget {

    /** The failures of one address in the window that began at {@code start}. */
    private record Window(long start, AtomicInteger failures) {
    }

    private final int allowed;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Cache<String, Window> windows;

    public FailedAuthBudget(int allowed, Duration window, LongSupplier nanoClock) {
        this.allowed = allowed;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
        // Bounded: a flood from many addresses costs at most this many small entries.
        this.windows = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window.multipliedBy(2)).build();
    }

    /** Seconds until {@code address} may try again; 0 while it has budget left (or the budget is off). */
    public long retryAfterSeconds(String address) {
        if (allowed <= 0) {
            return 0;
        }
        Window w = current(address, false);
        if (w == null || w.failures().get() < allowed) {
            return 0;
        }
        long left = w.start() + windowNanos - clock.getAsLong();
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    /** Counts one failed authentication of {@code address}. */
    public void failed(String address) {
        if (allowed > 0) {
            current(address, true).failures().incrementAndGet();
        }
    }

    private Window current(String address, boolean create) {
        long now = clock.getAsLong();
        Window w = windows.getIfPresent(address);
        if (w != null && now - w.start() < windowNanos) {
            return w;
        }
        if (!create) {
            return null;
        }
        return windows.asMap().compute(address, (k, old) ->
                old != null && now - old.start() < windowNanos ? old : new Window(now, new AtomicInteger()));
    }
}
