package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code metrics.series} table: the int id of each (session, metric), under which points, tiers
 * and retention horizons are stored, and its high-water mark {@code max_step}. Ingest calls it under
 * the session locks, so the marks it reads are those of the last committed batch of each session.
 */
final class SeriesCatalog {

    /** A series by its natural key. */
    record Key(String session, String metric) {
    }

    /**
     * A series id and its high-water mark: every stored point of the series has a step at most
     * {@code maxStep} (-1 when none was ever stored). A point above it cannot conflict with a stored one.
     */
    record Entry(int id, long maxStep) {
    }

    private static final String LOAD = """
            SELECT session_id, metric, id, max_step FROM metrics.series WHERE session_id = ANY(?::text[])""";

    private static final String CREATE = """
            INSERT INTO metrics.series (session_id, metric)
            SELECT * FROM unnest(?::text[], ?::text[]) ORDER BY 1, 2
            ON CONFLICT (session_id, metric) DO NOTHING""";

    private static final String ADVANCE = """
            UPDATE metrics.series s SET max_step = u.m
              FROM unnest(?::int4[], ?::int8[]) AS u(id, m)
             WHERE s.id = u.id AND s.max_step < u.m""";

    private SeriesCatalog() {
    }

    /** The entries of {@code keys}, creating the series that do not exist yet. */
    static Map<Key, Entry> resolve(Connection c, Collection<Key> keys) throws SQLException {
        List<String> sessions = keys.stream().map(Key::session).distinct().toList();
        Map<Key, Entry> out = load(c, sessions);
        List<Key> missing = new ArrayList<>();
        for (Key k : keys) {
            if (!out.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(CREATE)) {
                ps.setArray(1, SqlArrays.text(c, missing, Key::session));
                ps.setArray(2, SqlArrays.text(c, missing, Key::metric));
                ps.executeUpdate();
            }
            out = load(c, sessions);
        }
        return out;
    }

    private static Map<Key, Entry> load(Connection c, List<String> sessions) throws SQLException {
        Map<Key, Entry> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, c.createArrayOf("text", sessions.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Key(rs.getString(1), rs.getString(2)), new Entry(rs.getInt(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Raises the high-water marks to the highest step each series was just written at. */
    static void advance(Connection c, Map<Integer, Long> maxStepById) throws SQLException {
        if (maxStepById.isEmpty()) {
            return;
        }
        List<Map.Entry<Integer, Long>> rows = new ArrayList<>(maxStepById.entrySet());
        rows.sort(Map.Entry.comparingByKey()); // a fixed row-lock order across writers
        try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
            ps.setArray(1, SqlArrays.int4(c, rows, Map.Entry::getKey));
            ps.setArray(2, SqlArrays.int8(c, rows, Map.Entry::getValue));
            ps.executeUpdate();
        }
    }

    /** Per series, the highest step among {@code written}. */
    static Map<Integer, Long> highestSteps(Collection<SeriesPoint> written) {
        Map<Integer, Long> out = new HashMap<>();
        written.forEach(w -> out.merge(w.seriesId(), w.step(), Math::max));
        return out;
    }
}
