package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Transaction-scoped advisory locks, one per session, so that ingest batches of several replicas
 * and the retention job never interleave on one session (a resume, its purge and the tier
 * recompute must see each other; the series high-water marks must be those of the last commit).
 */
final class SessionLocks {

    private SessionLocks() {
    }

    static void lock(Connection c, Collection<String> sessions) throws SQLException {
        AdvisoryLocks.lock(c, AdvisoryLocks.SESSIONS, sessions);
    }
}
