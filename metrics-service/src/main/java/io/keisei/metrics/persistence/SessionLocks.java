package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Transaction-scoped advisory locks, one per session, so that ingest batches of several replicas
 * and the retention job never interleave on one session (a resume, its purge and the tier
 * recompute must see each other). Taken in sorted order, so they cannot deadlock.
 */
final class SessionLocks {

    /** Namespace of metrics-service's advisory locks in the shared database ("metr"). */
    private static final int NAMESPACE = 0x6D657472;

    private SessionLocks() {
    }

    static void lock(Connection c, Collection<String> sessions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            for (String s : new TreeSet<>(sessions)) {
                ps.setInt(1, NAMESPACE);
                ps.setString(2, s);
                ps.execute();
            }
        }
    }
}
