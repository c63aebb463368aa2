package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.metrics.TierLevels;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the tiers of whole sessions from their raw points with set-based SQL: points written before
 * tiers existed (the V2 upgrade), a changed tier set, or runs bulk-loaded straight into
 * {@code metrics.points} (the benchmark). Only sessions whose raw points are complete can be rebuilt.
 */
@ApplicationScoped
public class TierRebuild {

    private static final Logger LOG = Logger.getLogger(TierRebuild.class);

    private static final String FROM_RAW = """
            INSERT INTO metrics.tiers (series_id, tier, bucket_start, min_value, max_value, last_value,
                                       last_step, sum_value, point_count)
            SELECT p.series_id, ?, (p.step >> ?) << ?, min(p.value), max(p.value),
                   (array_agg(p.value ORDER BY p.step DESC))[1], max(p.step), sum(p.value), count(*)
              FROM metrics.points p JOIN metrics.series s ON s.id = p.series_id WHERE s.session_id = ?
             GROUP BY 1, 3""";

    private static final String FROM_TIER = """
            INSERT INTO metrics.tiers (series_id, tier, bucket_start, min_value, max_value, last_value,
                                       last_step, sum_value, point_count)
            SELECT t.series_id, ?, (t.bucket_start >> ?) << ?, min(t.min_value), max(t.max_value),
                   (array_agg(t.last_value ORDER BY t.last_step DESC))[1], max(t.last_step), sum(t.sum_value),
                   sum(t.point_count)::int8
              FROM metrics.tiers t JOIN metrics.series s ON s.id = t.series_id WHERE s.session_id = ? AND t.tier = ?
             GROUP BY 1, 3""";

    private final AgroalDataSource dataSource;
    private final TierLevels levels;

    public TierRebuild(AgroalDataSource dataSource, TierLevels levels) {
        this.dataSource = dataSource;
        this.levels = levels;
    }

    /** Replaces every tier row of {@code session} by aggregates of its raw points, in one transaction. */
    public void rebuild(String session) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                SessionLocks.lock(c, List.of(session));
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT 1 FROM metrics.raw_horizon h JOIN metrics.series s ON s.id = h.series_id
                         WHERE s.session_id = ? LIMIT 1""")) {
                    ps.setString(1, session);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            throw new IllegalStateException("session " + session + " lost raw points to retention; its tiers cannot be rebuilt");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        DELETE FROM metrics.tiers WHERE series_id IN (SELECT id FROM metrics.series WHERE session_id = ?)""")) {
                    ps.setString(1, session);
                    ps.executeUpdate();
                }
                for (int i = 0; i < levels.count(); i++) {
                    int k = levels.level(i);
                    try (PreparedStatement ps = c.prepareStatement(i == 0 ? FROM_RAW : FROM_TIER)) {
                        ps.setInt(1, k);
                        ps.setInt(2, k);
                        ps.setInt(3, k);
                        ps.setString(4, session);
                        if (i > 0) {
                            ps.setInt(5, levels.level(i - 1));
                        }
                        ps.executeUpdate();
                    }
                }
                // Points loaded without ingest (bulk loads) must raise the high-water marks too.
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE metrics.series s
                           SET max_step = (SELECT max(p.step) FROM metrics.points p WHERE p.series_id = s.id)
                         WHERE s.session_id = ?
                           AND s.max_step < (SELECT max(p.step) FROM metrics.points p WHERE p.series_id = s.id)""")) {
                    ps.setString(1, session);
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * At start-up: when points exist but no tiers at all (a database upgraded from V1), builds the
     * tiers of every session. Costs one index probe per table otherwise.
     */
    public void backfillIfMissing() throws SQLException {
        List<String> sessions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("""
                    SELECT EXISTS (SELECT 1 FROM metrics.points) AND NOT EXISTS (SELECT 1 FROM metrics.tiers)""")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT session_id FROM metrics.series")) {
                while (rs.next()) {
                    sessions.add(rs.getString(1));
                }
            }
        }
        LOG.infof("building tiers %s for %d sessions stored before tiers existed", levels, sessions.size());
        for (String s : sessions) {
            rebuild(s);
        }
    }
}
