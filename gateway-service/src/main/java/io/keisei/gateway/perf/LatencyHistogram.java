package io.keisei.gateway.perf;

import org.HdrHistogram.ConcurrentHistogram;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Exact count, min, mean, max and percentiles of durations (microsecond resolution, up to an hour). */
public final class LatencyHistogram {

    /** A summary in milliseconds. */
    @Schema(name = "LatencySummary", description = "Count and latency percentiles in milliseconds.")
    public record Summary(long count, double meanMs, double minMs, double maxMs, double p50Ms, double p95Ms, double p99Ms) {
    }

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(3_600_000_000L, 3);

    public void recordNanos(long nanos) {
        histogram.recordValue(Math.min(Math.max(nanos / 1000, 0), 3_600_000_000L));
    }

    public void recordMillis(long millis) {
        recordNanos(millis * 1_000_000L);
    }

    public Summary summary() {
        long count = histogram.getTotalCount();
        if (count == 0) {
            return new Summary(0, 0, 0, 0, 0, 0, 0);
        }
        return new Summary(count, ms(histogram.getMean()), ms(histogram.getMinValue()), ms(histogram.getMaxValue()),
                ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(95)),
                ms(histogram.getValueAtPercentile(99)));
    }

    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
