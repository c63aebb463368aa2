package io.keisei.metrics.persistence;

/**
 * The metric names of one session, found by a skip scan of the tiers' primary key (session, metric,
 * ...): one index probe per metric, whatever the run length. PostgreSQL 17 has no native skip scan,
 * and a plain DISTINCT would read every tier row of the session.
 */
final class SessionMetricNames {

    /**
     * A recursive CTE {@code names(metric)} to put after {@code WITH RECURSIVE}; binds the session id
     * twice. Its last row is NULL: filter with {@code metric IS NOT NULL}.
     */
    static final String CTE = """
            names(metric) AS (
                SELECT min(metric) FROM metrics.tiers WHERE session_id = ?
                UNION ALL
                SELECT (SELECT min(t.metric) FROM metrics.tiers t WHERE t.session_id = ? AND t.metric > n.metric)
                  FROM names n WHERE n.metric IS NOT NULL)
            """;

    private SessionMetricNames() {
    }
}
