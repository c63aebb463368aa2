package io.keisei.trainer.learn;

import java.util.Map;

/**
 * What one {@link SelfPlayLearner#runEpoch()} did: the global step (plies collected so far) after
 * it, and the metrics under {@link io.keisei.contracts.MetricNames} names (an ordered, unmodifiable map).
 */
public record EpochReport(long globalStep, Map<String, Double> metrics) {
    public EpochReport {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** A metric value, or NaN if absent. */
    public double metric(String name) {
        Double v = metrics.get(name);
        return v == null ? Double.NaN : v;
    }
}
