package io.keisei.gateway.audit;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * gateway.audit_log: one row per mutating API call. Written off the request thread so auditing
 * never slows a control call; the queue is bounded and an overflow is logged, never silent.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** One audited call. */
    public record Entry(long id, Instant at, String tokenId, String actor, String role, String method, String path, int status,
                        int millis) {
    }

    private final AgroalDataSource dataSource;
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
            r -> {
                Thread t = new Thread(r, "audit-writer");
                t.setDaemon(true);
                return t;
            }, (r, e) -> LOG.warn("audit queue full: an audit record was dropped"));

    public AuditLog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String tokenId, String actor, String role, String method, String path, int status, int millis) {
        Instant at = Instant.now();
        writer.execute(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("""
                         INSERT INTO gateway.audit_log (at, token_id, actor, role, method, path, status, millis)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, tokenId);
                ps.setString(3, actor);
                ps.setString(4, role);
                ps.setString(5, method);
                ps.setString(6, path);
                ps.setInt(7, status);
                ps.setInt(8, millis);
                ps.executeUpdate();
            } catch (SQLException e) {
                LOG.warnf("audit record not written: %s %s by %s (%s)", method, path, actor, e.getMessage());
            }
        });
    }

    /** Newest first; {@code actor} null for everyone. */
    public List<Entry> recent(String actor, int limit) throws SQLException {
        String sql = "SELECT id, at, token_id, actor, role, method, path, status, millis FROM gateway.audit_log"
                + (actor == null ? "" : " WHERE actor = ?") + " ORDER BY at DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (actor != null) {
                ps.setString(i++, actor);
            }
            ps.setInt(i, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9)));
                }
            }
            return out;
        }
    }
}
