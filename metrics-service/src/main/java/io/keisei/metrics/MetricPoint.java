package io.keisei.metrics;

/** One stored value of one metric at one global timestep. */
public record MetricPoint(long step, double value) {
}
