package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.api.MetricAttempt;
import io.keisei.contracts.api.MetricPoint;
import io.keisei.contracts.api.SessionEvent;
import io.keisei.metrics.TierLevels;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-side queries over a session's series, attempts and events. Per-session overviews read one
 * row per series, whatever the run length.
 */
@ApplicationScoped
public class MetricQueries {

    /** Per series of the session, the last bucket of the coarsest tier: one backward index probe each. */
    private static final String LATEST = """
            SELECT s.metric, b.last_step, b.last_value FROM metrics.series s
             CROSS JOIN LATERAL (SELECT last_step, last_value FROM metrics.tiers t
                                  WHERE t.series_id = s.id AND t.tier = ?
                                  ORDER BY t.bucket_start DESC LIMIT 1) b
             WHERE s.session_id = ? ORDER BY s.metric""";

    /** Series with data: a series whose points were all superseded has no tier rows left. */
    private static final String NAMES = """
            SELECT s.metric FROM metrics.series s
             WHERE s.session_id = ? AND EXISTS (SELECT 1 FROM metrics.tiers t WHERE t.series_id = s.id)
             ORDER BY s.metric""";

    private static final String EVENTS = """
            SELECT stream_id, type, attempt, event_time, state, reason
              FROM metrics.session_events WHERE session_id = ? ORDER BY event_time, stream_id""";

    /** Attempts with stored points, plus attempts known only from lifecycle events (no steps yet). */
    private static final String ATTEMPTS = """
            SELECT coalesce(a.attempt, e.attempt), a.first_step, a.last_step,
                   CASE WHEN a.started_at IS NULL THEN e.started_at
                        WHEN e.started_at IS NULL THEN a.started_at
                        ELSE LEAST(a.started_at, e.started_at) END
              FROM (SELECT attempt, first_step, last_step, started_at FROM metrics.attempts WHERE session_id = ?) a
              FULL JOIN (SELECT attempt, min(event_time) AS started_at FROM metrics.session_events
                          WHERE session_id = ? AND attempt IS NOT NULL
                            AND type IN ('session.starting', 'session.started')
                          GROUP BY attempt) e ON e.attempt = a.attempt
             ORDER BY 1""";

    private final AgroalDataSource dataSource;
    private final TierLevels levels;

    public MetricQueries(AgroalDataSource dataSource, TierLevels levels) {
        this.dataSource = dataSource;
        this.levels = levels;
    }

    /** The newest point of every metric of a session, by metric name. */
    public Map<String, MetricPoint> latest(String sessionId) throws SQLException {
        Map<String, MetricPoint> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LATEST)) {
            ps.setInt(1, levels.coarsest());
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new MetricPoint(rs.getLong(2), rs.getDouble(3)));
                }
            }
        }
        return out;
    }

    /** Names of every metric a session has data for, sorted. */
    public List<String> names(String sessionId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(NAMES)) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Attempts of a session in order: the steps of their stored points and when they started. */
    public List<MetricAttempt> attempts(String sessionId) throws SQLException {
        List<MetricAttempt> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
            ps.setString(1, sessionId);
            ps.setString(2, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long first = rs.getLong(2);
                    Long firstOrNull = rs.wasNull() ? null : first;
                    long last = rs.getLong(3);
                    Long lastOrNull = rs.wasNull() ? null : last;
                    Timestamp started = rs.getTimestamp(4);
                    out.add(new MetricAttempt(rs.getInt(1), firstOrNull, lastOrNull, started == null ? null : started.toInstant()));
                }
            }
        }
        return out;
    }

    /** Lifecycle events of a session in time order. */
    public List<SessionEvent> events(String sessionId) throws SQLException {
        List<SessionEvent> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(EVENTS)) {
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
