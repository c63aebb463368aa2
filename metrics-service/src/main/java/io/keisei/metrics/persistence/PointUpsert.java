package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upserts points that may already be stored (at or below their series' high-water mark:
 * redeliveries, resumes) in one statement and reports what it did with each.
 *
 * <p>Idempotence: a redelivered point conflicts with its stored copy and the upsert's WHERE skips
 * it, so RETURNING does not report it and the tiers never count it twice. A point that replaced a
 * stored one of an earlier attempt comes back as updated ({@code xmax <> 0} on the returned row
 * version, the usual PostgreSQL way to tell an ON CONFLICT update from an insert): its buckets still
 * hold the old value, so they are recomputed rather than merged.
 */
final class PointUpsert {

    private static final String SQL = """
            INSERT INTO metrics.points AS p (series_id, attempt, step, value, wall_time)
            SELECT u.series_id, u.attempt, u.step, u.value, to_timestamp(u.wall_ms / 1000.0)
              FROM unnest(?::int4[], ?::int4[], ?::int8[], ?::float8[], ?::int8[])
                   AS u(series_id, attempt, step, value, wall_ms)
            ON CONFLICT (series_id, step) DO UPDATE
               SET value = EXCLUDED.value, attempt = EXCLUDED.attempt, wall_time = EXCLUDED.wall_time
             WHERE p.attempt < EXCLUDED.attempt
            RETURNING p.series_id, p.step, (p.xmax = 0) AS inserted""";

    /** The points stored for the first time (to merge into tiers) and those that replaced a stored point. */
    record Result(List<SeriesPoint> inserted, List<SeriesStep> superseded) {
    }

    private PointUpsert() {
    }

    static Result write(Connection c, List<SeriesPoint> points) throws SQLException {
        if (points.isEmpty()) {
            return new Result(List.of(), List.of());
        }
        Map<SeriesStep, SeriesPoint> byKey = new HashMap<>(points.size() * 2);
        points.forEach(p -> byKey.put(new SeriesStep(p.seriesId(), p.step()), p));
        List<SeriesPoint> inserted = new ArrayList<>(points.size());
        List<SeriesStep> superseded = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, SqlArrays.int4(c, points, SeriesPoint::seriesId));
            ps.setArray(2, SqlArrays.int4(c, points, SeriesPoint::attempt));
            ps.setArray(3, SqlArrays.int8(c, points, SeriesPoint::step));
            ps.setArray(4, SqlArrays.float8(c, points, SeriesPoint::value));
            ps.setArray(5, SqlArrays.int8(c, points, SeriesPoint::wallMillis));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SeriesStep key = new SeriesStep(rs.getInt(1), rs.getLong(2));
                    if (rs.getBoolean(3)) {
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
