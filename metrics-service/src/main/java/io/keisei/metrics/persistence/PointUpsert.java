package io.keisei.metrics.persistence;

import io.keisei.metrics.service.BatchPlan.Point;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upserts a batch of points in one statement and reports what it did with each.
 *
 * <p>Idempotence: a redelivered point conflicts with its stored copy and the upsert's WHERE skips
 * it, so RETURNING does not report it and the tiers never count it twice. A point that replaced a
 * stored one of an earlier attempt comes back as updated ({@code xmax <> 0} on the returned row
 * version, the usual PostgreSQL way to tell an ON CONFLICT update from an insert): its buckets still
 * hold the old value, so they are recomputed rather than merged.
 */
final class PointUpsert {

    private static final String SQL = """
            INSERT INTO metrics.points AS p (session_id, metric, step, value, attempt, wall_time)
            SELECT u.session_id, u.metric, u.step, u.value, u.attempt, to_timestamp(u.wall_ms / 1000.0)
              FROM unnest(?::text[], ?::text[], ?::int8[], ?::float8[], ?::int4[], ?::int8[])
                   AS u(session_id, metric, step, value, attempt, wall_ms)
            ON CONFLICT (session_id, metric, step) DO UPDATE
               SET value = EXCLUDED.value, attempt = EXCLUDED.attempt, wall_time = EXCLUDED.wall_time
             WHERE p.attempt < EXCLUDED.attempt
            RETURNING p.session_id, p.metric, p.step, (p.xmax = 0) AS inserted""";

    /** The points stored for the first time (to merge into tiers) and those that replaced a stored point. */
    record Result(List<Point> inserted, List<SeriesStep> superseded) {
    }

    private PointUpsert() {
    }

    static Result write(Connection c, List<Point> points) throws SQLException {
        if (points.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        Map<SeriesStep, Point> byKey = new HashMap<>(points.size() * 2);
        points.forEach(p -> byKey.put(new SeriesStep(p.session(), p.metric(), p.step()), p));
        List<Point> inserted = new ArrayList<>(points.size());
        List<SeriesStep> superseded = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, SqlArrays.text(c, points, Point::session));
            ps.setArray(2, SqlArrays.text(c, points, Point::metric));
            ps.setArray(3, SqlArrays.int8(c, points, Point::step));
            ps.setArray(4, SqlArrays.float8(c, points, Point::value));
            ps.setArray(5, SqlArrays.int4(c, points, Point::attempt));
            ps.setArray(6, SqlArrays.int8(c, points, Point::wallMillis));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SeriesStep key = new SeriesStep(rs.getString(1), rs.getString(2), rs.getLong(3));
                    if (rs.getBoolean(4)) {
                        inserted.add(byKey.get(key));
                    } else {
                        superseded.add(key);
                    }
                }
            }
        }
        return new Result(inserted, superseded);
    }
}
