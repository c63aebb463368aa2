package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.GroupConsumer.Received;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * Writes ingested batches in one transaction each. Upserts keyed by (session, metric, step)
 * make redelivery harmless; a point of a later attempt replaces one of an earlier attempt.
 */
@ApplicationScoped
public class PointWriter {

    private static final String UPSERT_POINT = """
            INSERT INTO metrics.points (session_id, metric, step, value, attempt, wall_time)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, metric, step) DO UPDATE
               SET value = EXCLUDED.value, attempt = EXCLUDED.attempt, wall_time = EXCLUDED.wall_time
             WHERE metrics.points.attempt < EXCLUDED.attempt""";

    private static final String INSERT_EVENT = """
            INSERT INTO metrics.session_events (stream_id, session_id, type, attempt, event_time, state, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream_id) DO NOTHING""";

    private final AgroalDataSource dataSource;

    public PointWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores every metric of every update; commits before returning. */
    public void writePoints(List<Received<MetricUpdate>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(UPSERT_POINT)) {
                for (Received<MetricUpdate> r : batch) {
                    MetricUpdate m = r.message();
                    Timestamp wall = new Timestamp(m.time());
                    for (Map.Entry<String, Double> e : m.metrics().entrySet()) {
                        ps.setString(1, m.session());
                        ps.setString(2, e.getKey());
                        ps.setLong(3, m.step());
                        ps.setDouble(4, e.getValue());
                        ps.setInt(5, m.attempt());
                        ps.setTimestamp(6, wall);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Records lifecycle events; commits before returning. */
    public void writeEvents(List<Received<LifecycleEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
                for (Received<LifecycleEvent> r : batch) {
                    LifecycleEvent e = r.message();
                    ps.setString(1, r.id());
                    ps.setString(2, e.session());
                    ps.setString(3, e.type().wire());
                    if (e.attempt() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, e.attempt());
                    }
                    ps.setTimestamp(5, new Timestamp(e.time()));
                    ps.setString(6, e.state());
                    ps.setString(7, e.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            }
        }
    }
}
