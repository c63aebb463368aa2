package io.keisei.gateway.progress;

/**
 * A session's training speed, smoothed: steps per second as an exponential moving average over wall time, fed by the
 * (attempt, step, time) of each metric record. The one estimate behind every ETA the suite shows (status endpoint,
 * live updates, dashboard pages and CLI), so two pages never disagree about the same session.
 *
 * <p>Time-weighted (not per record) so that a trainer reporting twice as often does not smooth half as much; a new
 * attempt, a step that goes back or a gap longer than {@link #STALE_MILLIS} starts the estimate over, because the
 * speed before a pause or a resume says little about the speed after it. Not thread-safe: the caller guards it.
 */
public final class ProgressRate {

    /** How quickly the estimate follows a change of speed: about 63 % of a step change after this long. */
    public static final long TIME_CONSTANT_MILLIS = 60_000;
    /** A gap between records longer than this (a hung or paused trainer) restarts the estimate. */
    public static final long STALE_MILLIS = 120_000;
    /** The estimate is shown once the records it rests on span at least this long. */
    static final long WARM_UP_MILLIS = 5_000;

    private int attempt = -1;
    private long lastStep;
    private long lastTime;
    private long firstTime;
    private double rate = Double.NaN;

    /** Folds in a metric record. Records must arrive in stream order; duplicates and stale ones are ignored. */
    public void observe(int attempt, long step, long timeMillis) {
        if (attempt != this.attempt || step < lastStep || timeMillis - lastTime > STALE_MILLIS) {
            restart(attempt, step, timeMillis);
            return;
        }
        long dt = timeMillis - lastTime;
        if (dt <= 0 || step == lastStep) {
            return;
        }
        double instant = (step - lastStep) * 1000.0 / dt;
        double w = 1 - Math.exp(-dt / (double) TIME_CONSTANT_MILLIS);
        // Until a time constant has passed, weigh every interval by its length: the mean over what was seen.
        double seen = lastTime - firstTime;
        double mean = Double.isNaN(rate) ? instant : (rate * seen + instant * dt) / (seen + dt);
        rate = seen + dt < TIME_CONSTANT_MILLIS ? mean : rate + w * (instant - rate);
        lastStep = step;
        lastTime = timeMillis;
    }

    /** Forgets the speed (the session stopped running: a paused session has no speed). */
    public void reset() {
        attempt = -1;
        rate = Double.NaN;
    }

    /** Smoothed steps per second, or null while there is not enough to say. */
    public Double stepsPerSecond() {
        return Double.isNaN(rate) || lastTime - firstTime < WARM_UP_MILLIS ? null : rate;
    }

    /** Seconds until {@code total} at the smoothed speed from {@code step}, or null when that cannot be said. */
    public Long etaSeconds(long step, Long total) {
        return eta(stepsPerSecond(), step, total);
    }

    /** The ETA formula, in one place: remaining steps over the smoothed speed. */
    public static Long eta(Double stepsPerSecond, long step, Long total) {
        if (stepsPerSecond == null || stepsPerSecond <= 0 || total == null || total <= 0) {
            return null;
        }
        return (long) Math.ceil(Math.max(0, total - step) / stepsPerSecond);
    }

    private void restart(int attempt, long step, long timeMillis) {
        this.attempt = attempt;
        this.lastStep = step;
        this.lastTime = timeMillis;
        this.firstTime = timeMillis;
        this.rate = Double.NaN;
    }
}
