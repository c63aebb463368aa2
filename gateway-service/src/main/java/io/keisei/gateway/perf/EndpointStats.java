package io.keisei.gateway.perf;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Latency per endpoint ("GET /api/v1/sessions/{id}/status") since start, and error counts. */
@ApplicationScoped
public class EndpointStats {

    /** One endpoint's figures. */
    @Schema(name = "EndpointLatency", description = "One endpoint's request count, server errors and latency in milliseconds.")
    public record Row(String endpoint, long count, long errors, double meanMs, double minMs, double maxMs, double p50Ms,
                      double p95Ms, double p99Ms) {
    }

    private final Map<String, LatencyHistogram> latency = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    public void record(String endpoint, long nanos, int status) {
        latency.computeIfAbsent(endpoint, e -> new LatencyHistogram()).recordNanos(nanos);
        if (status >= 500) {
            errors.computeIfAbsent(endpoint, e -> new AtomicLong()).incrementAndGet();
        }
    }

    public Map<String, Row> rows() {
        Map<String, Row> out = new TreeMap<>();
        latency.forEach((endpoint, h) -> {
            LatencyHistogram.Summary s = h.summary();
            AtomicLong e = errors.get(endpoint);
            out.put(endpoint, new Row(endpoint, s.count(), e == null ? 0 : e.get(), s.meanMs(), s.minMs(), s.maxMs(), s.p50Ms(),
                    s.p95Ms(), s.p99Ms()));
        });
        return out;
    }
}
