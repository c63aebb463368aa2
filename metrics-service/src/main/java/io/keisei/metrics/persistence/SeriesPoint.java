package io.keisei.metrics.persistence;

/** A point to store, with its series already resolved to an id. */
record SeriesPoint(int seriesId, long step, double value, int attempt, long wallMillis) {
}
