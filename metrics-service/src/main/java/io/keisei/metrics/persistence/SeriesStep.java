package io.keisei.metrics.persistence;

/** One step of one metric of one session whose tier buckets must be recomputed from finer data. */
public record SeriesStep(String session, String metric, long step) {
}
