package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Deletes all but the newest games of each session; their positions go with them (ON DELETE CASCADE).
 * It takes no game locks: a batch that writes to a game deleted under it fails on the foreign key,
 * rolls back and is redelivered, and then stores the game afresh (to be trimmed again next time).
 */
@ApplicationScoped
public class GameRetention {

    /** Walks each session's games newest first by the games_recent index and cuts after {@code keep}. */
    private static final String DELETE_OLDER = """
            DELETE FROM metrics.games g USING (
                SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY started_at DESC, id DESC) AS n
                                  FROM metrics.games) ranked
                 WHERE n > ?) old
             WHERE g.id = old.id""";

    private final AgroalDataSource dataSource;

    public GameRetention(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps the {@code keep} newest games of every session; returns how many games were deleted. */
    public int keepNewest(int keep) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_OLDER)) {
            ps.setInt(1, keep);
            return ps.executeUpdate();
        }
    }
}
