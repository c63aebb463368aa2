package io.keisei.metrics.persistence;

import io.keisei.metrics.BatchPlan.AttemptSpan;
import io.keisei.metrics.BatchPlan.KnownAttempt;
import io.keisei.metrics.BatchPlan.Resume;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The write side of {@code metrics.attempts}: attempt boundaries kept in step with the points. */
final class AttemptStore {

    private static final String LOAD = """
            SELECT session_id, attempt, first_step, last_step FROM metrics.attempts WHERE session_id = ANY(?::text[])""";

    private static final String UPSERT = """
            INSERT INTO metrics.attempts AS a (session_id, attempt, first_step, last_step, started_at)
            SELECT s, n, f, l, to_timestamp(w / 1000.0)
              FROM unnest(?::text[], ?::int4[], ?::int8[], ?::int8[], ?::int8[]) AS u(s, n, f, l, w)
            ON CONFLICT (session_id, attempt) DO UPDATE SET
               first_step = LEAST(a.first_step, EXCLUDED.first_step),
               last_step  = GREATEST(a.last_step, EXCLUDED.last_step),
               started_at = LEAST(a.started_at, EXCLUDED.started_at)""";

    /**
     * After a resume, the last stored step of each earlier attempt: walks each metric's primary key
     * backwards from the resume step, and stops at the attempt's own first step.
     */
    private static final String REFRESH_LAST_STEP = """
            UPDATE metrics.attempts a SET last_step = (
                SELECT max(x.step) FROM metrics.series m
                  CROSS JOIN LATERAL (SELECT p.step FROM metrics.points p
                                       WHERE p.series_id = m.id AND p.step < ? AND p.step >= a.first_step
                                         AND p.attempt = a.attempt
                                       ORDER BY p.step DESC LIMIT 1) x
                 WHERE m.session_id = a.session_id)
             WHERE a.session_id = ? AND a.attempt < ? AND a.last_step >= ?""";

    private AttemptStore() {
    }

    static Map<String, Map<Integer, KnownAttempt>> load(Connection c, Collection<String> sessions) throws SQLException {
        Map<String, Map<Integer, KnownAttempt>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, c.createArrayOf("text", sessions.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long last = rs.getLong(4);
                    Long lastOrNull = rs.wasNull() ? null : last;
                    out.computeIfAbsent(rs.getString(1), s -> new HashMap<>())
                            .put(rs.getInt(2), new KnownAttempt(rs.getInt(2), rs.getLong(3), lastOrNull));
                }
            }
        }
        return out;
    }

    static void upsert(Connection c, List<AttemptSpan> spans) throws SQLException {
        if (spans.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setArray(1, SqlArrays.text(c, spans, AttemptSpan::session));
            ps.setArray(2, SqlArrays.int4(c, spans, AttemptSpan::attempt));
            ps.setArray(3, SqlArrays.int8(c, spans, AttemptSpan::firstStep));
            ps.setArray(4, SqlArrays.int8(c, spans, AttemptSpan::lastStep));
            ps.setArray(5, SqlArrays.int8(c, spans, AttemptSpan::startedMillis));
            ps.executeUpdate();
        }
    }

    static void refreshAfterResume(Connection c, Resume resume) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(REFRESH_LAST_STEP)) {
            ps.setLong(1, resume.fromStep());
            ps.setString(2, resume.session());
            ps.setInt(3, resume.attempt());
            ps.setLong(4, resume.fromStep());
            ps.executeUpdate();
        }
    }

}
