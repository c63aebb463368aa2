package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Deletes raw points older than a cut-off, in bounded transactions, and moves each series' retention
 * horizon up to the highest step it deleted. Tiers are not touched: old ranges stay queryable.
 */
@ApplicationScoped
public class RawRetention {

    private static final String CANDIDATES = """
            SELECT p.ctid::text, s.session_id FROM metrics.points p JOIN metrics.series s ON s.id = p.series_id
             WHERE p.wall_time < ? LIMIT ?""";

    private static final String DELETE = """
            WITH gone AS (
                DELETE FROM metrics.points WHERE ctid = ANY(?::tid[]) AND wall_time < ?
                RETURNING series_id, step
            ), horizon AS (
                INSERT INTO metrics.raw_horizon AS h (series_id, purged_through_step, purged_at)
                SELECT series_id, max(step), now() FROM gone GROUP BY series_id
                ON CONFLICT (series_id) DO UPDATE
                   SET purged_through_step = GREATEST(h.purged_through_step, EXCLUDED.purged_through_step),
                       purged_at = EXCLUDED.purged_at
            )
            SELECT count(*) FROM gone""";

    private final AgroalDataSource dataSource;

    public RawRetention(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Deletes every raw point with a wall time before {@code cutoff}; returns how many. */
    public long purgeBefore(Instant cutoff, int batchSize) throws SQLException {
        long total = 0;
        while (true) {
            int deleted;
            int candidates;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    List<String> ctids = new ArrayList<>();
                    TreeSet<String> sessions = new TreeSet<>();
                    try (PreparedStatement ps = c.prepareStatement(CANDIDATES)) {
                        ps.setTimestamp(1, Timestamp.from(cutoff));
                        ps.setInt(2, batchSize);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ctids.add(rs.getString(1));
                                sessions.add(rs.getString(2));
                            }
                        }
                    }
                    candidates = ctids.size();
                    if (candidates == 0) {
                        c.rollback();
                        return total;
                    }
                    // Same locks as ingest: a tier recompute must never run against half-deleted raw points.
                    SessionLocks.lock(c, sessions);
                    try (PreparedStatement ps = c.prepareStatement(DELETE)) {
                        ps.setArray(1, c.createArrayOf("text", ctids.toArray(String[]::new)));
                        ps.setTimestamp(2, Timestamp.from(cutoff));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            deleted = rs.getInt(1);
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
            total += deleted;
            if (candidates < batchSize) {
                return total;
            }
        }
    }
}
