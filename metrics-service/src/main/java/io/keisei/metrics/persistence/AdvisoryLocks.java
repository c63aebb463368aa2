package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Transaction-scoped advisory locks on string keys in a namespace of metrics-service's own, taken in
 * sorted order so that two writers can never deadlock on them.
 */
final class AdvisoryLocks {

    /** Sessions of metric points ("metr"): ingest, retention and tier rebuilds. */
    static final int SESSIONS = 0x6D657472;
    /** Games, by session and game id ("game"). */
    static final int GAMES = 0x67616D65;

    private AdvisoryLocks() {
    }

    static void lock(Connection c, int namespace, Collection<String> keys) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            for (String k : new TreeSet<>(keys)) {
                ps.setInt(1, namespace);
                ps.setString(2, k);
                ps.execute();
            }
        }
    }
}
