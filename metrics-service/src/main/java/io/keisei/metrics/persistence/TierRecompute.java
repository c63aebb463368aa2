package io.keisei.metrics.persistence;

import io.keisei.metrics.TierLevels;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Recomputes the tier buckets that contain superseded or deleted points, which a merge cannot fix
 * (the old value may be the bucket's min or max). Finest tier first, from the raw points; each
 * coarser tier from the tier below it, so a bucket of any width costs at most 2^(k - k') rows.
 * Buckets left empty are deleted. Buckets that reach below the series' retention horizon are left
 * as they are: their raw points are gone, so recomputing them would lose data.
 */
final class TierRecompute {

    private static final String DIRTY = """
            WITH dirty AS (
                SELECT d.sid, d.b FROM unnest(?::int4[], ?::int8[]) AS d(sid, b)
                 WHERE NOT EXISTS (SELECT 1 FROM metrics.raw_horizon h
                                    WHERE h.series_id = d.sid AND h.purged_through_step >= d.b)
            ), agg AS (
                SELECT d.sid, d.b, a.* FROM dirty d CROSS JOIN LATERAL (%s) a
            ), emptied AS (
                DELETE FROM metrics.tiers t USING agg
                 WHERE agg.n = 0 AND t.series_id = agg.sid AND t.tier = ? AND t.bucket_start = agg.b
            )
            INSERT INTO metrics.tiers (series_id, tier, bucket_start, min_value, max_value, last_value,
                                       last_step, sum_value, point_count)
            SELECT sid, ?, b, mn, mx, lv, ls, sv, n FROM agg WHERE n > 0
            ON CONFLICT (series_id, tier, bucket_start) DO UPDATE SET
               min_value = EXCLUDED.min_value, max_value = EXCLUDED.max_value, last_value = EXCLUDED.last_value,
               last_step = EXCLUDED.last_step, sum_value = EXCLUDED.sum_value, point_count = EXCLUDED.point_count""";

    private static final String FROM_RAW = String.format(DIRTY, """
            SELECT min(p.value) AS mn, max(p.value) AS mx, (array_agg(p.value ORDER BY p.step DESC))[1] AS lv,
                   max(p.step) AS ls, sum(p.value) AS sv, count(*) AS n
              FROM metrics.points p
             WHERE p.series_id = d.sid AND p.step BETWEEN d.b AND d.b + ? - 1""");

    private static final String FROM_TIER = String.format(DIRTY, """
            SELECT min(c.min_value) AS mn, max(c.max_value) AS mx,
                   (array_agg(c.last_value ORDER BY c.last_step DESC))[1] AS lv, max(c.last_step) AS ls,
                   sum(c.sum_value) AS sv, coalesce(sum(c.point_count), 0)::int8 AS n
              FROM metrics.tiers c
             WHERE c.series_id = d.sid AND c.tier = ? AND c.bucket_start BETWEEN d.b AND d.b + ? - 1""");

    private TierRecompute() {
    }

    /** Recomputes every tier bucket that holds one of {@code steps}. */
    static void recompute(Connection c, Collection<SeriesStep> steps, TierLevels levels) throws SQLException {
        if (steps.isEmpty()) {
            return;
        }
        for (int i = 0; i < levels.count(); i++) {
            int k = levels.level(i);
            List<SeriesStep> buckets = distinctBuckets(steps, k);
            boolean fromRaw = i == 0;
            try (PreparedStatement ps = c.prepareStatement(fromRaw ? FROM_RAW : FROM_TIER)) {
                int p = 1;
                ps.setArray(p++, SqlArrays.int4(c, buckets, SeriesStep::seriesId));
                ps.setArray(p++, SqlArrays.int8(c, buckets, SeriesStep::step));
                if (!fromRaw) {
                    ps.setInt(p++, levels.level(i - 1));
                }
                ps.setLong(p++, TierLevels.width(k));
                ps.setInt(p++, k);
                ps.setInt(p, k);
                ps.executeUpdate();
            }
        }
    }

    private static List<SeriesStep> distinctBuckets(Collection<SeriesStep> steps, int k) {
        Set<SeriesStep> out = new LinkedHashSet<>();
        for (SeriesStep s : steps) {
            out.add(new SeriesStep(s.seriesId(), TierLevels.bucketStart(s.step(), k)));
        }
        return new ArrayList<>(out);
    }
}
