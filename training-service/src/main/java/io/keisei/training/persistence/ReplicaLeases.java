package io.keisei.training.persistence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The lease rows of training-service replicas (training.replicas). The database clock alone decides whether a lease
 * has expired ({@code clock_timestamp()}, never a replica's own clock), and an expired lease is final: it cannot be
 * renewed, so a replica that was paused or cut off past its lease must register again under a new id, by which time
 * its sessions may belong to another replica. Plain JDBC on a DataSource, outside any JTA transaction.
 */
public final class ReplicaLeases {

    /** True when the lease of replica ?1 has not expired at this very moment (not at the transaction's start). */
    public static final String HELD = "SELECT 1 FROM training.replicas WHERE id = ? AND expires_at > clock_timestamp()";

    private final DataSource db;
    private final Duration duration;

    public ReplicaLeases(DataSource db, Duration duration) {
        this.db = db;
        this.duration = duration;
    }

    public Duration duration() {
        return duration;
    }

    /** A new lease for {@code id}, valid for the lease duration from now. */
    public void register(String id, String host) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("INSERT INTO training.replicas (id, host, started_at, renewed_at, expires_at) "
                     + "VALUES (?, ?, clock_timestamp(), clock_timestamp(), clock_timestamp() + make_interval(secs => ?))")) {
            st.setString(1, id);
            st.setString(2, host);
            st.setDouble(3, seconds());
            st.executeUpdate();
        }
    }

    /** Extends an unexpired lease by the lease duration from now; false when it had expired (or never existed). */
    public boolean renew(String id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE training.replicas SET renewed_at = clock_timestamp(), "
                     + "expires_at = clock_timestamp() + make_interval(secs => ?) WHERE id = ? AND expires_at > clock_timestamp()")) {
            st.setDouble(1, seconds());
            st.setString(2, id);
            return st.executeUpdate() == 1;
        }
    }

    /** Ends a lease now (a clean shutdown), so that its sessions are taken over at once instead of after the duration. */
    public void release(String id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("UPDATE training.replicas SET expires_at = LEAST(expires_at, clock_timestamp()) WHERE id = ?")) {
            st.setString(1, id);
            st.executeUpdate();
        }
    }

    public boolean held(String id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(HELD)) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Forgets leases that expired long ago and own nothing any more (housekeeping; ownership never depends on it). */
    public int purge(Duration olderThan) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("DELETE FROM training.replicas r WHERE r.expires_at < clock_timestamp() - make_interval(secs => ?) "
                     + "AND NOT EXISTS (SELECT 1 FROM training.sessions s WHERE s.owner_replica = r.id) "
                     + "AND NOT EXISTS (SELECT 1 FROM training.evaluations e WHERE e.owner_replica = r.id)")) {
            st.setDouble(1, olderThan.toMillis() / 1000.0);
            return st.executeUpdate();
        }
    }

    private double seconds() {
        return duration.toMillis() / 1000.0;
    }
}
