package io.keisei.metrics.persistence;

import io.keisei.metrics.BatchPlan.Resume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a resume: deletes the stored points of earlier attempts at or after the step where the
 * later attempt begins. It walks the primary key series by series, so it reads only the superseded
 * points, not the whole session.
 */
final class ResumePurge {

    private static final String SQL = """
            DELETE FROM metrics.points p USING metrics.series s
             WHERE s.session_id = ? AND p.series_id = s.id AND p.step >= ? AND p.attempt < ?
            RETURNING p.series_id, p.step""";

    private ResumePurge() {
    }

    /** The deleted points, whose buckets must be recomputed. */
    static List<SeriesStep> apply(Connection c, Resume resume) throws SQLException {
        List<SeriesStep> deleted = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, resume.session());
            ps.setLong(2, resume.fromStep());
            ps.setInt(3, resume.attempt());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deleted.add(new SeriesStep(rs.getInt(1), rs.getLong(2)));
                }
            }
        }
        return deleted;
    }
}
