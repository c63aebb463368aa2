package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.metrics.MetricPoint;
import io.keisei.metrics.SessionEvent;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-side queries over stored points and events. */
@ApplicationScoped
public class MetricQueries {

    private final AgroalDataSource dataSource;

    public MetricQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The newest point of every metric of a session, by metric name. */
    public Map<String, MetricPoint> latest(String sessionId) throws SQLException {
        String sql = """
                SELECT DISTINCT ON (metric) metric, step, value
                  FROM metrics.points WHERE session_id = ?
                 ORDER BY metric, step DESC""";
        Map<String, MetricPoint> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new MetricPoint(rs.getLong(2), rs.getDouble(3)));
                }
            }
        }
        return out;
    }

    /** Lifecycle events of a session in time order. */
    public List<SessionEvent> events(String sessionId) throws SQLException {
        String sql = """
                SELECT stream_id, type, attempt, event_time, state, reason
                  FROM metrics.session_events WHERE session_id = ? ORDER BY event_time, stream_id""";
        List<SessionEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int attempt = rs.getInt(3);
                    Integer attemptOrNull = rs.wasNull() ? null : attempt;
                    out.add(new SessionEvent(rs.getString(1), rs.getString(2), attemptOrNull,
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }
}
