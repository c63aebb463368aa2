package io.keisei.metrics.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where an ingest transaction spends its time, as timers {@code keisei.metrics.ingest.phase{phase=...}}:
 * the numbers behind docs/metrics-storage.md's ingest profile, and what to look at when ingest lags.
 */
final class IngestPhases {

    static final String LOCK = "lock";
    static final String PLAN = "plan";
    static final String SERIES = "series";
    static final String ATTEMPTS = "attempts";
    static final String UPSERT = "upsert";
    static final String COPY = "copy";
    static final String TIERS = "tiers";
    static final String RECOMPUTE = "recompute";
    static final String COMMIT = "commit";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    IngestPhases(MeterRegistry registry) {
        this.registry = registry;
    }

    Clock start() {
        return new Clock();
    }

    private Timer timer(String phase) {
        return timers.computeIfAbsent(phase, p -> Timer.builder("keisei.metrics.ingest.phase").tag("phase", p)
                .description("time an ingest transaction spends in each phase").register(registry));
    }

    /** Measures consecutive phases of one transaction. */
    final class Clock {
        private long last = System.nanoTime();

        void lap(String phase) {
            long now = System.nanoTime();
            timer(phase).record(now - last, TimeUnit.NANOSECONDS);
            last = now;
        }
    }
}
