package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.api.Bucket;
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
}
