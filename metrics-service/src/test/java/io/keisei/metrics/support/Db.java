package io.keisei.metrics.support;

import javax.sql.DataSource;
import io.keisei.metrics.support.ReferenceModel.Agg;
import io.keisei.metrics.support.ReferenceModel.Key;
import io.keisei.metrics.support.ReferenceModel.TierKey;
import io.keisei.metrics.support.ReferenceModel.Value;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Reads what metrics-service stored, for comparison with {@link ReferenceModel}. */
public final class Db {

    private Db() {
    }

    public static Map<Key, Value> points(DataSource ds, String session) throws SQLException {
        Map<Key, Value> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT s.metric, p.step, p.value, p.attempt FROM metrics.points p
                       JOIN metrics.series s ON s.id = p.series_id WHERE s.session_id = ?""")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Key(rs.getString(1), rs.getLong(2)), new Value(rs.getDouble(3), rs.getInt(4)));
                }
            }
        }
        return out;
    }

    public static Map<TierKey, Agg> tiers(DataSource ds, String session) throws SQLException {
        Map<TierKey, Agg> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT s.metric, t.tier, t.bucket_start, t.min_value, t.max_value, t.last_value, t.last_step,
                            t.sum_value, t.point_count
                       FROM metrics.tiers t JOIN metrics.series s ON s.id = t.series_id WHERE s.session_id = ?""")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new TierKey(rs.getString(1), rs.getInt(2), rs.getLong(3)),
                            new Agg(rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getLong(7), rs.getDouble(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    /** Raw points stored for a session. */
    public static long pointCount(DataSource ds, String session) throws SQLException {
        return count(ds, """
                SELECT count(*) FROM metrics.points p JOIN metrics.series s ON s.id = p.series_id WHERE s.session_id = ?""",
                session);
    }

    public static long count(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static void execute(DataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
