package io.keisei.metrics.persistence;

import io.keisei.metrics.TierLevels;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Merges newly stored points into every tier: the points are aggregated per bucket here (a few
 * thousand points, microseconds). Buckets that start above their series' high-water mark cannot
 * exist yet (no point of theirs was ever stored) and are copied in. The others, at most one per
 * series and tier in the usual append-only case, are upserted in one statement, each combined with
 * its stored aggregates: min of mins, max of maxes, the later last, sums and counts added.
 */
final class TierMerge {

    private static final String COPY = """
            COPY metrics.tiers (series_id, tier, bucket_start, min_value, max_value, last_value, last_step, sum_value,
                                point_count) FROM STDIN (FORMAT binary)""";

    /** Field count, then per field its length and value: int4, int2, int8, 4 x float8 or int8 ... */
    private static final int ROW_BYTES = 2 + 9 * 4 + 4 + 2 + 8 * 7;

    private static final String SQL = """
            INSERT INTO metrics.tiers AS t (series_id, tier, bucket_start, min_value, max_value, last_value,
                                           last_step, sum_value, point_count)
            SELECT * FROM unnest(?::int4[], ?::int2[], ?::int8[], ?::float8[], ?::float8[], ?::float8[],
                                 ?::int8[], ?::float8[], ?::int8[])
            ON CONFLICT (series_id, tier, bucket_start) DO UPDATE SET
               min_value   = LEAST(t.min_value, EXCLUDED.min_value),
               max_value   = GREATEST(t.max_value, EXCLUDED.max_value),
               last_value  = CASE WHEN EXCLUDED.last_step >= t.last_step THEN EXCLUDED.last_value ELSE t.last_value END,
               last_step   = GREATEST(t.last_step, EXCLUDED.last_step),
               sum_value   = t.sum_value + EXCLUDED.sum_value,
               point_count = t.point_count + EXCLUDED.point_count""";

    /** The aggregates of one bucket over the points of this batch. */
    private static final class Agg {
        final int series;
        final int tier;
        final long start;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double last;
        long lastStep = Long.MIN_VALUE;
        double sum;
        long count;

        Agg(int series, int tier, long start) {
            this.series = series;
            this.tier = tier;
            this.start = start;
        }

        void add(SeriesPoint p) {
            min = Math.min(min, p.value());
            max = Math.max(max, p.value());
            if (p.step() > lastStep) {
                lastStep = p.step();
                last = p.value();
            }
            sum += p.value();
            count++;
        }
    }

    private static final Comparator<SeriesPoint> BY_SERIES_AND_STEP = (a, b) -> a.seriesId() != b.seriesId()
            ? Integer.compare(a.seriesId(), b.seriesId()) : Long.compare(a.step(), b.step());

    private TierMerge() {
    }

    /**
     * Merges {@code stored}, points written for the first time, into the tiers.
     *
     * @param marks the high-water mark of each series before this batch
     * @return the tier rows written
     */
    static int merge(Connection c, List<SeriesPoint> stored, Map<Integer, Long> marks, TierLevels levels) throws SQLException {
        if (stored.isEmpty()) {
            return 0;
        }
        // In (series, step) order every bucket of every tier is one contiguous run of points, so each
        // tier needs just its open bucket: no hash map over points x tiers.
        List<SeriesPoint> sorted = new ArrayList<>(stored);
        sorted.sort(BY_SERIES_AND_STEP);
        Agg[] open = new Agg[levels.count()];
        List<Agg> rows = new ArrayList<>();
        for (SeriesPoint p : sorted) {
            for (int i = 0; i < open.length; i++) {
                int k = levels.level(i);
                long start = TierLevels.bucketStart(p.step(), k);
                Agg a = open[i];
                if (a == null || a.series != p.seriesId() || a.start != start) {
                    a = new Agg(p.seriesId(), k, start);
                    open[i] = a;
                    rows.add(a);
                }
                a.add(p);
            }
        }
        // Key order: index insertions in order, and a fixed order of row locks across writers.
        rows.sort(Comparator.comparingInt((Agg a) -> a.series).thenComparingInt(a -> a.tier).thenComparingLong(a -> a.start));
        List<Agg> merged = new ArrayList<>();
        BinaryCopy fresh = new BinaryCopy(COPY, rows.size() * ROW_BYTES);
        for (Agg a : rows) {
            if (a.start > marks.getOrDefault(a.series, Long.MAX_VALUE)) {
                fresh.row(9).int4(a.series).int2(a.tier).int8(a.start).float8(a.min).float8(a.max).float8(a.last)
                        .int8(a.lastStep).float8(a.sum).int8(a.count);
            } else {
                merged.add(a);
            }
        }
        return fresh.send(c) + upsert(c, merged);
    }

    private static int upsert(Connection c, List<Agg> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, SqlArrays.int4(c, rows, a -> a.series));
            ps.setArray(2, c.createArrayOf("int2", rows.stream().map(a -> (short) a.tier).toArray(Short[]::new)));
            ps.setArray(3, SqlArrays.int8(c, rows, a -> a.start));
            ps.setArray(4, SqlArrays.float8(c, rows, a -> a.min));
            ps.setArray(5, SqlArrays.float8(c, rows, a -> a.max));
            ps.setArray(6, SqlArrays.float8(c, rows, a -> a.last));
            ps.setArray(7, SqlArrays.int8(c, rows, a -> a.lastStep));
            ps.setArray(8, SqlArrays.float8(c, rows, a -> a.sum));
            ps.setArray(9, SqlArrays.int8(c, rows, a -> a.count));
            ps.executeUpdate();
        }
        return rows.size();
    }
}
