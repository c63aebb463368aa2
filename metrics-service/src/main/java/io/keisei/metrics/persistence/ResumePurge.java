package io.keisei.metrics.persistence;

import io.keisei.metrics.service.BatchPlan.Resume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a resume: deletes the stored points of earlier attempts at or after the step where the
 * later attempt begins. It walks the primary key metric by metric (names from a skip scan of the
 * tiers), so it reads only the superseded points, not the whole session.
 */
final class ResumePurge {

    private static final String SQL = "WITH RECURSIVE " + SessionMetricNames.CTE + """
            DELETE FROM metrics.points p USING names m
             WHERE m.metric IS NOT NULL AND p.session_id = ? AND p.metric = m.metric AND p.step >= ? AND p.attempt < ?
            RETURNING p.metric, p.step""";

    private ResumePurge() {
    }

    /** The deleted points, whose buckets must be recomputed. */
    static List<SeriesStep> apply(Connection c, Resume resume) throws SQLException {
        List<SeriesStep> deleted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, resume.session());
            ps.setString(2, resume.session());
            ps.setString(3, resume.session());
            ps.setLong(4, resume.fromStep());
            ps.setInt(5, resume.attempt());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(new SeriesStep(resume.session(), rs.getString(1), rs.getLong(2)));
                }
            }
        }
        return deleted;
    }
}
