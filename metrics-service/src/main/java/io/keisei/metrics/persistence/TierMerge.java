package io.keisei.metrics.persistence;

import io.keisei.metrics.TierLevels;
import io.keisei.metrics.service.BatchPlan.Point;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges newly inserted points into every tier with one statement per batch: the points are
 * aggregated per bucket here (a few thousand points, microseconds), then upserted, each bucket
 * combined with its stored aggregates: min of mins, max of maxes, the later last, sums and counts added.
 */
final class TierMerge {

    private static final String SQL = """
            INSERT INTO metrics.tiers AS t (session_id, metric, tier, bucket_start, min_value, max_value, last_value,
                                           last_step, sum_value, point_count)
            SELECT * FROM unnest(?::text[], ?::text[], ?::int2[], ?::int8[], ?::float8[], ?::float8[], ?::float8[],
                                 ?::int8[], ?::float8[], ?::int8[])
            ON CONFLICT (session_id, metric, tier, bucket_start) DO UPDATE SET
               min_value   = LEAST(t.min_value, EXCLUDED.min_value),
               max_value   = GREATEST(t.max_value, EXCLUDED.max_value),
               last_value  = CASE WHEN EXCLUDED.last_step >= t.last_step THEN EXCLUDED.last_value ELSE t.last_value END,
               last_step   = GREATEST(t.last_step, EXCLUDED.last_step),
               sum_value   = t.sum_value + EXCLUDED.sum_value,
               point_count = t.point_count + EXCLUDED.point_count""";

    /** The aggregates of one bucket over the points of this batch. */
    private static final class Agg {
        final String session;
        final String metric;
        final int tier;
        final long start;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double last;
        long lastStep = Long.MIN_VALUE;
        double sum;
        long count;

        Agg(String session, String metric, int tier, long start) {
            this.session = session;
            this.metric = metric;
            this.tier = tier;
            this.start = start;
        }

        void add(Point p) {
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

    private record Key(String session, String metric, int tier, long start) {
    }

    private TierMerge() {
    }

    static int merge(Connection c, List<Point> inserted, TierLevels levels) throws SQLException {
        if (inserted.isEmpty()) {
            return 0;
        }
        Map<Key, Agg> buckets = new HashMap<>();
        for (Point p : inserted) {
            for (int i = 0; i < levels.count(); i++) {
                int k = levels.level(i);
                long start = TierLevels.bucketStart(p.step(), k);
                buckets.computeIfAbsent(new Key(p.session(), p.metric(), k, start),
                        key -> new Agg(key.session(), key.metric(), key.tier(), key.start())).add(p);
            }
        }
        List<Agg> rows = new ArrayList<>(buckets.values());
        // A fixed order of row locks across writers.
        rows.sort(Comparator.comparing((Agg a) -> a.session).thenComparing(a -> a.metric)
                .thenComparingInt(a -> a.tier).thenComparingLong(a -> a.start));
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, SqlArrays.text(c, rows, a -> a.session));
            ps.setArray(2, SqlArrays.text(c, rows, a -> a.metric));
            ps.setArray(3, c.createArrayOf("int2", rows.stream().map(a -> (short) a.tier).toArray(Short[]::new)));
            ps.setArray(4, SqlArrays.int8(c, rows, a -> a.start));
            ps.setArray(5, SqlArrays.float8(c, rows, a -> a.min));
            ps.setArray(6, SqlArrays.float8(c, rows, a -> a.max));
            ps.setArray(7, SqlArrays.float8(c, rows, a -> a.last));
            ps.setArray(8, SqlArrays.int8(c, rows, a -> a.lastStep));
            ps.setArray(9, SqlArrays.float8(c, rows, a -> a.sum));
            ps.setArray(10, SqlArrays.int8(c, rows, a -> a.count));
            ps.executeUpdate();
        }
        return rows.size();
    }
}
