package io.keisei.metrics.support;

import io.agroal.api.AgroalDataSource;
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

    public static Map<Key, Value> points(AgroalDataSource ds, String session) throws SQLException {
        Map<Key, Value> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT metric, step, value, attempt FROM metrics.points WHERE session_id = ?")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Key(rs.getString(1), rs.getLong(2)), new Value(rs.getDouble(3), rs.getInt(4)));
                }
            }
        }
        return out;
    }

    public static Map<TierKey, Agg> tiers(AgroalDataSource ds, String session) throws SQLException {
        Map<TierKey, Agg> out = new HashMap<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT metric, tier, bucket_start, min_value, max_value, last_value, last_step, sum_value, point_count
                       FROM metrics.tiers WHERE session_id = ?""")) {
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

    public static long count(AgroalDataSource ds, String sql, Object... args) throws SQLException {
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

    public static void execute(AgroalDataSource ds, String sql, Object... args) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
