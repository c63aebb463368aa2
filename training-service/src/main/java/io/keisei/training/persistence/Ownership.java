package io.keisei.training.persistence;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which replica supervises which session (or evaluation): the {@code owner_replica} column, and its fencing token
 * {@code owner_epoch}, one more at every change of owner. A replica takes a row only when the row's owner has no
 * unexpired lease (or, for the single process-mode replica at start-up, from whoever held it), and acts on a row only
 * while the row still names it with the epoch it took it under and its own lease is unexpired, checked under the
 * row's lock by the database clock. So two replicas never act on one session: the row lock orders them and
 * the second one's check fails. Plain JDBC on a DataSource, outside any JTA transaction.
 */
public final class Ownership {

    /** The tables whose rows are owned, with the states in which a trainer (or match) is there to supervise. */
    public enum Owned {
        SESSIONS("training.sessions", "starting,running,pausing,stopping", true),
        EVALUATIONS("training.evaluations", "running", false);

        final String table;
        final String[] live;
        final boolean versioned;

        Owned(String table, String live, boolean versioned) {
            this.table = table;
            this.live = live.split(",");
            this.versioned = versioned;
        }

        /** True when row ?1 is owned by replica ?2 under epoch ?3 and that replica's lease is unexpired now. */
        public String fenceSql() {
            return "SELECT 1 FROM " + table + " t JOIN training.replicas r ON r.id = t.owner_replica "
                    + "WHERE t.id = ? AND t.owner_replica = ? AND t.owner_epoch = ? AND r.expires_at > clock_timestamp()";
        }
    }

    /** A row this replica took, and the epoch it took it under. */
    public record Claim(String id, long epoch) {
    }

    /** Writes done under a fence, on the connection (and in the transaction) that checked it. */
    @FunctionalInterface
    public interface Write {
        void run(Connection c) throws SQLException;
    }

    private static final String ORPHANED = "(t.owner_replica IS NULL OR NOT EXISTS (SELECT 1 FROM training.replicas o "
            + "WHERE o.id = t.owner_replica AND o.expires_at > clock_timestamp()))";

    private final DataSource db;

    public Ownership(DataSource db) {
        this.db = db;
    }

    /** Takes every live row whose owner's lease expired (or that has no owner): one transaction per row. */
    public List<Claim> takeOrphans(Owned what, String me) throws SQLException {
        return take(what, me, ORPHANED);
    }

    /**
     * Takes every live row not already ours, whoever owns it: only for a replica that is alone by construction (process
     * trainers run on one host, under one replica), at start-up, when its previous incarnation may not have had time
     * to release its lease.
     */
    public List<Claim> takeAll(Owned what, String me) throws SQLException {
        return take(what, me, "t.owner_replica IS DISTINCT FROM ?");
    }

    private List<Claim> take(Owned what, String me, String condition) throws SQLException {
        boolean needsMe = condition.contains("?");
        List<String> candidates = new ArrayList<>();
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT t.id FROM " + what.table + " t WHERE t.state = ANY (?) AND "
                     + condition + " ORDER BY t.id")) {
            st.setArray(1, c.createArrayOf("text", what.live));
            if (needsMe) {
                st.setString(2, me);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    candidates.add(rs.getString(1));
                }
            }
        }
        List<Claim> claims = new ArrayList<>();
        for (String id : candidates) {
            Long epoch = takeOne(what, id, me, condition, needsMe);
            if (epoch != null) {
                claims.add(new Claim(id, epoch));
            }
        }
        return claims;
    }

    /**
     * One row, in its own transaction: lock it (waiting for whoever acts on it now), then, in a fresh statement that
     * sees what they committed, check it is still live and still orphaned and that our own lease is unexpired, and
     * move it to us with the next epoch.
     */
    private Long takeOne(Owned what, String id, String me, String condition, boolean needsMe) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM " + what.table + " WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, id);
                    lock.executeQuery().close();
                }
                Long epoch = null;
                try (PreparedStatement st = c.prepareStatement("UPDATE " + what.table + " t SET owner_replica = ?, "
                        + "owner_epoch = t.owner_epoch + 1" + (what.versioned ? ", version = t.version + 1" : "")
                        + " WHERE t.id = ? AND t.state = ANY (?) AND " + condition
                        + " AND EXISTS (SELECT 1 FROM training.replicas m WHERE m.id = ? AND m.expires_at > clock_timestamp())"
                        + " RETURNING t.owner_epoch")) {
                    int i = 1;
                    st.setString(i++, me);
                    st.setString(i++, id);
                    st.setArray(i++, c.createArrayOf("text", what.live));
                    if (needsMe) {
                        st.setString(i++, me);
                    }
                    st.setString(i, me);
                    try (ResultSet rs = st.executeQuery()) {
                        if (rs.next()) {
                            epoch = rs.getLong(1);
                        }
                    }
                }
                c.commit();
                return epoch;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Whether {@code me} still owns row {@code id} under {@code epoch} with an unexpired lease (a read; no lock). */
    public boolean holds(Owned what, String id, String me, long epoch) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(what.fenceSql())) {
            bindFence(st, id, me, epoch);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Runs {@code write} in one transaction only if, with the row locked, {@code me} still owns it under {@code epoch}
     * and its lease is unexpired; false (nothing written) when fenced off.
     */
    public boolean act(Owned what, String id, String me, long epoch, Write write) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT 1 FROM " + what.table + " WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, id);
                    lock.executeQuery().close();
                }
                boolean owner;
                try (PreparedStatement st = c.prepareStatement(what.fenceSql())) {
                    bindFence(st, id, me, epoch);
                    try (ResultSet rs = st.executeQuery()) {
                        owner = rs.next();
                    }
                }
                if (owner) {
                    write.run(c);
                }
                c.commit();
                return owner;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void bindFence(PreparedStatement st, String id, String me, long epoch) throws SQLException {
        st.setString(1, id);
        st.setString(2, me);
        st.setLong(3, epoch);
    }
}
