package io.keisei.bench.load;

import org.HdrHistogram.ConcurrentHistogram;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Latency histograms (microseconds) and error counts per label, for one scenario. */
public final class Latencies {

    /** Figures of one label in milliseconds. */
    public record Row(String label, long count, long errors, double min, double p5, double p50, double p95, double p99, double max, double perSecond) {
    }

    private final Map<String, ConcurrentHistogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    /** The worst latency (µs) of the requests due in each second of an open-loop run: shows when a stall happened. */
    private final Map<Integer, AtomicLong> worstBySecond = new ConcurrentHashMap<>();

    public void recordAt(int second, String label, long nanos) {
        record(label, nanos);
        worstBySecond.computeIfAbsent(second, k -> new AtomicLong()).accumulateAndGet(nanos / 1000, Math::max);
    }

    /** "12 9 1400 …": the worst latency in ms of each second, in order; empty when not recorded per second. */
    public String worstPerSecond() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(worstBySecond).forEach((sec, v) -> b.append(b.isEmpty() ? "" : " ").append(Math.round(v.get() / 1000.0)));
        return b.toString();
    }

    public void record(String label, long nanos) {
        histograms.computeIfAbsent(label, l -> new ConcurrentHistogram(3_600_000_000L, 3))
                .recordValue(Math.max(0, Math.min(nanos / 1000, 3_600_000_000L)));
    }

    public void error(String label) {
        errors.computeIfAbsent(label, l -> new AtomicLong()).incrementAndGet();
        histograms.computeIfAbsent(label, l -> new ConcurrentHistogram(3_600_000_000L, 3));
    }

    public Map<String, Row> rows(double seconds) {
        Map<String, Row> out = new TreeMap<>();
        histograms.forEach((label, h) -> {
            AtomicLong e = errors.get(label);
            long n = h.getTotalCount();
            out.put(label, new Row(label, n, e == null ? 0 : e.get(), ms(h.getMinValue(), n), ms(h.getValueAtPercentile(5), n),
                    ms(h.getValueAtPercentile(50), n), ms(h.getValueAtPercentile(95), n),
                    ms(h.getValueAtPercentile(99), n), ms(h.getMaxValue(), n), seconds > 0 ? n / seconds : 0));
        });
        return out;
    }

    private static double ms(double micros, long n) {
        return n == 0 ? Double.NaN : Math.round(micros) / 1000.0;
    }
}
