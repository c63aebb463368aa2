package io.keisei.training.service;

import java.time.Duration;

/**
 * When this replica must stop trusting its lease, by its own monotonic clock. A renewal that started at {@code t}
 * makes the database keep the lease until at least {@code t + duration} (the database stamps it later than we sent
 * it), so the lease is trusted only until {@code t + duration - margin}: the margin covers clock-rate drift and the
 * time a check takes before acting. Past the deadline the replica drops its watches before anyone can take them.
 */
public final class LeaseDeadline {

    private final long durationNanos;
    private final long marginNanos;
    private volatile long deadlineNanos;
    private volatile boolean valid;

    public LeaseDeadline(Duration duration, Duration margin) {
        this.durationNanos = duration.toNanos();
        this.marginNanos = margin.toNanos();
    }

    /** A registration or renewal that was sent at {@code sentNanos} succeeded. */
    public void renewed(long sentNanos) {
        deadlineNanos = sentNanos + durationNanos - marginNanos;
        valid = true;
    }

    /** The lease is gone (expired in the database, or given up). */
    public void lost() {
        valid = false;
    }

    public boolean held(long nowNanos) {
        return valid && nowNanos - deadlineNanos < 0;
    }
}
