package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Streams the raw points of a session in (metric, step) order through a server-side cursor: the
 * driver fetches {@link #FETCH_SIZE} rows at a time inside a read-only transaction, so memory stays
 * flat whatever the run length.
 */
@ApplicationScoped
public class PointExport {

    /** Receives exported rows one by one. */
    @FunctionalInterface
    public interface Sink {
        void row(String metric, long step, double value, int attempt, long wallMillis) throws IOException;
    }

    static final int FETCH_SIZE = 2_000;

    private static final String ALL = """
            SELECT metric, step, value, attempt, wall_time FROM metrics.points
             WHERE session_id = ? ORDER BY metric, step""";

    private static final String SOME = """
            SELECT metric, step, value, attempt, wall_time FROM metrics.points
             WHERE session_id = ? AND metric = ANY(?::text[]) ORDER BY metric, step""";

    private final AgroalDataSource dataSource;

    public PointExport(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Feeds every raw point of {@code session} (of {@code names} only, unless null) to {@code sink}. */
    public long forEach(String session, List<String> names, Sink sink) throws SQLException, IOException {
        long rows = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // the PostgreSQL driver uses a cursor only inside a transaction
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(names == null ? ALL : SOME)) {
                ps.setFetchSize(FETCH_SIZE);
                ps.setString(1, session);
                if (names != null) {
                    ps.setArray(2, c.createArrayOf("text", names.toArray(String[]::new)));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.row(rs.getString(1), rs.getLong(2), rs.getDouble(3), rs.getInt(4),
                                rs.getTimestamp(5).getTime());
                        rows++;
                    }
                }
            } finally {
                c.rollback();
                c.setReadOnly(false);
            }
        }
        return rows;
    }
}
