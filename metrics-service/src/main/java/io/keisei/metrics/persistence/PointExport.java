package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    private static final String SERIES = """
            SELECT id, metric FROM metrics.series WHERE session_id = ? ORDER BY metric""";

    private static final String POINTS = """
            SELECT step, value, attempt, wall_time FROM metrics.points WHERE series_id = ? ORDER BY step""";

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
            // One snapshot for all series, as if the export were one statement.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                Map<Integer, String> series = new LinkedHashMap<>();
                try (PreparedStatement ps = c.prepareStatement(SERIES)) {
                    ps.setString(1, session);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            if (names == null || names.contains(rs.getString(2))) {
                                series.put(rs.getInt(1), rs.getString(2));
                            }
                        }
                    }
                }
                // Series by series, in metric order, each by its primary key in step order: no sort.
                try (PreparedStatement ps = c.prepareStatement(POINTS)) {
                    ps.setFetchSize(FETCH_SIZE);
                    for (Map.Entry<Integer, String> s : series.entrySet()) {
                        ps.setInt(1, s.getKey());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                sink.row(s.getValue(), rs.getLong(1), rs.getDouble(2), rs.getInt(3),
                                        rs.getTimestamp(4).getTime());
                                rows++;
                            }
                        }
                    }
                }
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setReadOnly(false);
            }
        }
        return rows;
    }
}
