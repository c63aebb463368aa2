package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.api.Bucket;
import io.keisei.contracts.api.ClockPoint;
import io.keisei.contracts.api.RawPoint;
import io.keisei.metrics.TierLevels;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded reads for history queries. Every statement is an index range scan on a primary key with
 * a LIMIT, so none reads more rows than it returns (plus one).
 */
@ApplicationScoped
public class HistoryQueries {

    /**
     * Where a series' data lies: {@code firstStep} rounded down to the finest tier, {@code lastStep}
     * exact, and {@code rawFrom}, the first step from which raw points are complete (0 unless
     * retention deleted some).
     */
    public record SeriesBounds(long firstStep, long lastStep, long rawFrom) {
    }

    private static final String BOUNDS = """
            WITH s AS (SELECT id FROM metrics.series WHERE session_id = ? AND metric = ?)
            SELECT (SELECT bucket_start FROM metrics.tiers WHERE series_id = s.id AND tier = ?
                     ORDER BY bucket_start LIMIT 1),
                   (SELECT last_step FROM metrics.tiers WHERE series_id = s.id AND tier = ?
                     ORDER BY bucket_start DESC LIMIT 1),
                   (SELECT purged_through_step FROM metrics.raw_horizon WHERE series_id = s.id)
              FROM s""";

    private static final String TIER_RANGE = """
            SELECT bucket_start, min_value, max_value, last_value, point_count FROM metrics.tiers
             WHERE series_id = (SELECT id FROM metrics.series WHERE session_id = ? AND metric = ?)
               AND tier = ? AND bucket_start BETWEEN ? AND ?
             ORDER BY bucket_start LIMIT ?""";

    private static final String RAW_RANGE = """
            SELECT step, value FROM metrics.points
             WHERE series_id = (SELECT id FROM metrics.series WHERE session_id = ? AND metric = ?)
               AND step BETWEEN ? AND ?
             ORDER BY step LIMIT ?""";

    /**
     * A session's clock: one series of the session stands for all of them (all metrics of one update share
     * step and wall time), the one with the most points in the range by its coarsest-tier counts (ties: lowest
     * id) among those with raw points in the range, so a metric reported only now and then (an evaluation) is
     * not picked while a denser one exists. That choice reads one tier probe and one point probe per series.
     * Then the first and last raw point in the range (two index probes), and for each of n target steps spread
     * evenly from the first to the last, the first point at or after it (one primary-key probe each, with
     * LIMIT 1). The first target is the first point and the last target the last point, so both are always in.
     * Targets that fall in the same gap between points find the same point: the caller drops the repeats.
     */
    private static final String CLOCK = """
            WITH chosen AS (
                SELECT s.id FROM metrics.series s
                 WHERE s.session_id = ?
                   AND EXISTS (SELECT 1 FROM metrics.points p WHERE p.series_id = s.id AND p.step BETWEEN ? AND ?)
                 ORDER BY (SELECT sum(t.point_count) FROM metrics.tiers t
                            WHERE t.series_id = s.id AND t.tier = ? AND t.bucket_start BETWEEN ? AND ?) DESC NULLS LAST,
                          s.id
                 LIMIT 1),
            bounds AS (
                SELECT c.id,
                       (SELECT p.step FROM metrics.points p WHERE p.series_id = c.id AND p.step >= ?
                         ORDER BY p.step LIMIT 1) AS lo,
                       (SELECT p.step FROM metrics.points p WHERE p.series_id = c.id AND p.step <= ?
                         ORDER BY p.step DESC LIMIT 1) AS hi
                  FROM chosen c)
            SELECT x.step, x.wall_time FROM bounds b
             CROSS JOIN generate_series(0, ? - 1) AS i
             CROSS JOIN LATERAL (
                 SELECT p.step, p.wall_time FROM metrics.points p
                  WHERE p.series_id = b.id
                    AND p.step >= b.lo + floor((b.hi - b.lo)::numeric * i / (? - 1))::bigint
                  ORDER BY p.step LIMIT 1) x
             ORDER BY i""";

    private final AgroalDataSource dataSource;
    private final TierLevels levels;

    public HistoryQueries(AgroalDataSource dataSource, TierLevels levels) {
        this.dataSource = dataSource;
        this.levels = levels;
    }

    /** The bounds of a series, or null when it has no data. */
    public SeriesBounds bounds(String session, String metric) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(BOUNDS)) {
            ps.setString(1, session);
            ps.setString(2, metric);
            ps.setInt(3, levels.finest());
            ps.setInt(4, levels.coarsest());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long first = rs.getLong(1);
                if (rs.wasNull()) {
                    return null;
                }
                long last = rs.getLong(2);
                long horizon = rs.getLong(3);
                long rawFrom = rs.wasNull() ? 0 : horizon + 1;
                return new SeriesBounds(first, last, rawFrom);
            }
        }
    }

    /** Buckets of tier k whose start lies in [lo rounded down, hi], at most {@code limit}. */
    public List<Bucket> tierRange(String session, String metric, int k, long lo, long hi, int limit) throws SQLException {
        List<Bucket> out = new ArrayList<>();
        long width = TierLevels.width(k);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(TIER_RANGE)) {
            ps.setString(1, session);
            ps.setString(2, metric);
            ps.setInt(3, k);
            ps.setLong(4, TierLevels.bucketStart(lo, k));
            ps.setLong(5, hi);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long start = rs.getLong(1);
                    out.add(new Bucket(start, start + width - 1, rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /** Raw points with steps in [lo, hi], at most {@code limit}. */
    public List<RawPoint> rawRange(String session, String metric, long lo, long hi, int limit) throws SQLException {
        List<RawPoint> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RAW_RANGE)) {
            ps.setString(1, session);
            ps.setString(2, metric);
            ps.setLong(3, lo);
            ps.setLong(4, hi);
            ps.setInt(5, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RawPoint(rs.getLong(1), rs.getDouble(2)));
                }
            }
        }
        return out;
    }

    /**
     * At most {@code n} (>= 2) samples of the session's clock in [from, to], by step, with the first and last
     * raw point of the range; empty when the session has no raw points there.
     */
    public List<ClockPoint> clock(String session, long from, long to, int n) throws SQLException {
        if (n < 2) {
            throw new IllegalArgumentException("a clock needs at least 2 samples (the first and the last), not " + n);
        }
        List<ClockPoint> out = new ArrayList<>();
        int coarsest = levels.coarsest();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(CLOCK)) {
            ps.setString(1, session);
            ps.setLong(2, from);
            ps.setLong(3, to);
            ps.setInt(4, coarsest);
            ps.setLong(5, TierLevels.bucketStart(from, coarsest));
            ps.setLong(6, to);
            ps.setLong(7, from);
            ps.setLong(8, to);
            ps.setInt(9, n);
            ps.setInt(10, n);
            try (ResultSet rs = ps.executeQuery()) {
                long previous = Long.MIN_VALUE;
                while (rs.next()) {
                    long step = rs.getLong(1);
                    if (step != previous) {
                        out.add(new ClockPoint(step, rs.getTimestamp(2).getTime()));
                        previous = step;
                    }
                }
            }
        }
        return out;
    }
}
