package io.keisei.metrics.persistence;

/** One step of one series whose tier buckets must be recomputed from finer data. */
record SeriesStep(int seriesId, long step) {
}
