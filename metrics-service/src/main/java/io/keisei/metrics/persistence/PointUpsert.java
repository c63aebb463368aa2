package io.keisei.metrics.persistence;

import io.keisei.metrics.TierLevels;
import io.keisei.metrics.service.BatchPlan.Point;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upserts a batch of points and merges the newly inserted ones into every tier, in one statement.
 *
 * <p>Idempotence: a redelivered point conflicts with its stored copy and the upsert's WHERE skips
 * it, so RETURNING does not report it and the tiers never count it twice. A point that supersedes a
 * stored one of an earlier attempt is reported as updated ({@code xmax <> 0} on the returned row
 * version, the usual PostgreSQL way to tell an ON CONFLICT update from an insert): its bucket still
 * holds the old value, so the caller recomputes that bucket from raw points instead of merging.
 */
final class PointUpsert {

    private static final String SQL = """
            WITH input AS (
                SELECT u.session_id, u.metric, u.step, u.value, u.attempt,
                       to_timestamp(u.wall_ms / 1000.0) AS wall_time
                  FROM unnest(?::text[], ?::text[], ?::int8[], ?::float8[], ?::int4[], ?::int8[])
                       AS u(session_id, metric, step, value, attempt, wall_ms)
            ), written AS (
                INSERT INTO metrics.points AS p (session_id, metric, step, value, attempt, wall_time)
                SELECT * FROM input
                ON CONFLICT (session_id, metric, step) DO UPDATE
                   SET value = EXCLUDED.value, attempt = EXCLUDED.attempt, wall_time = EXCLUDED.wall_time
                 WHERE p.attempt < EXCLUDED.attempt
                RETURNING p.session_id, p.metric, p.step, p.value, (p.xmax = 0) AS inserted
            ), merged AS (
                INSERT INTO metrics.tiers AS t (session_id, metric, tier, bucket_start, min_value, max_value,
                                               last_value, last_step, sum_value, point_count)
                SELECT w.session_id, w.metric, k.tier, (w.step >> k.tier) << k.tier,
                       min(w.value), max(w.value), (array_agg(w.value ORDER BY w.step DESC))[1], max(w.step),
                       sum(w.value), count(*)
                  FROM written w CROSS JOIN unnest(?::int4[]) AS k(tier)
                 WHERE w.inserted
                 GROUP BY 1, 2, 3, 4
                 ORDER BY 1, 2, 3, 4
                ON CONFLICT (session_id, metric, tier, bucket_start) DO UPDATE SET
                   min_value   = LEAST(t.min_value, EXCLUDED.min_value),
                   max_value   = GREATEST(t.max_value, EXCLUDED.max_value),
                   last_value  = CASE WHEN EXCLUDED.last_step >= t.last_step THEN EXCLUDED.last_value ELSE t.last_value END,
                   last_step   = GREATEST(t.last_step, EXCLUDED.last_step),
                   sum_value   = t.sum_value + EXCLUDED.sum_value,
                   point_count = t.point_count + EXCLUDED.point_count
            )
            SELECT session_id, metric, step, inserted FROM written""";

    /** What one upsert did: how many points it inserted, and the stored points it superseded. */
    record Result(int inserted, List<SeriesStep> superseded) {
    }

    private PointUpsert() {
    }

    static Result write(Connection c, List<Point> points, TierLevels levels) throws SQLException {
        if (points.isEmpty()) {
            return new Result(0, List.of());
        }
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, SqlArrays.text(c, points, Point::session));
            ps.setArray(2, SqlArrays.text(c, points, Point::metric));
            ps.setArray(3, SqlArrays.int8(c, points, Point::step));
            ps.setArray(4, SqlArrays.float8(c, points, Point::value));
            ps.setArray(5, SqlArrays.int4(c, points, Point::attempt));
            ps.setArray(6, SqlArrays.int8(c, points, Point::wallMillis));
            ps.setArray(7, SqlArrays.int4(c, levels.toArray()));
            int inserted = 0;
            List<SeriesStep> superseded = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(4)) {
                        inserted++;
                    } else {
                        superseded.add(new SeriesStep(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return new Result(inserted, superseded);
        }
    }
}
