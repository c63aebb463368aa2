package io.keisei.gateway.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Exact count, min, mean, max and percentiles of durations (microsecond resolution, up to an hour). Recording is
 * wait-free and may run on any number of threads while a summary is read.
 */
public final class LatencyHistogram {

    /** A summary in milliseconds. */
    @Schema(name = "LatencySummary", description = "Count and latency percentiles in milliseconds.")
    public record Summary(long count, double meanMs, double minMs, double maxMs, double p50Ms, double p95Ms, double p99Ms) {
    }

    private static final long HIGHEST_MICROS = 3_600_000_000L;

    // A Recorder, not a ConcurrentHistogram read in place: reading percentiles while the hub records threw
    // ConcurrentModificationException (a 500 from /api/v1/performance under load). Summaries fold the recorder's
    // interval into a total that only the reader touches.
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    private Histogram interval;

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.min(Math.max(nanos / 1000, 0), HIGHEST_MICROS));
    }

    public void recordMillis(long millis) {
        recordNanos(millis * 1_000_000L);
    }

    public synchronized Summary summary() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        long count = total.getTotalCount();
        if (count == 0) {
            return new Summary(0, 0, 0, 0, 0, 0, 0);
        }
        return new Summary(count, ms(total.getMean()), ms(total.getMinValue()), ms(total.getMaxValue()),
                ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(95)), ms(total.getValueAtPercentile(99)));
    }

    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
