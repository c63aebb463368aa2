package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.api.Game;
import io.keisei.contracts.api.GamePosition;
import io.keisei.contracts.api.GameSummary;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads of stored games: a session's recent games, and whole games with their positions. */
@ApplicationScoped
public class GameQueries {

    private static final String RECENT = """
            SELECT game_id, session_id, started_at, updated_at, ply, result, last_move, side_to_move
              FROM metrics.games WHERE session_id = ? ORDER BY started_at DESC, id DESC LIMIT ?""";

    private static final String GAME = """
            SELECT id, game_id, session_id, started_at, updated_at, ply, result, sfen, last_move, side_to_move, moves
              FROM metrics.games WHERE game_id = ? AND (?::text IS NULL OR session_id = ?)
             ORDER BY session_id LIMIT 10""";

    private static final String POSITIONS = """
            SELECT ply, sfen, last_move FROM metrics.game_positions WHERE game = ? ORDER BY ply""";

    private final AgroalDataSource dataSource;

    public GameQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The newest games of a session (by first seen), at most {@code limit}. */
    public List<GameSummary> recent(String session, int limit) throws SQLException {
        List<GameSummary> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RECENT)) {
            ps.setString(1, session);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GameSummary(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    /**
     * The games with this id, with moves and positions: in {@code session} only, unless null. Trainers
     * number games per session, so without a session there can be several (at most 10 are read).
     */
    public List<Game> find(String gameId, String session) throws SQLException {
        List<Game> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // game and positions from one snapshot
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                List<long[]> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(GAME)) {
                    ps.setString(1, gameId);
                    ps.setString(2, session);
                    ps.setString(3, session);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(new long[]{rs.getLong(1)});
                            out.add(new Game(rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                                    rs.getTimestamp(5).toInstant(), rs.getInt(6), rs.getString(7), rs.getString(8),
                                    rs.getString(9), rs.getString(10), Arrays.asList((String[]) rs.getArray(11).getArray()),
                                    List.of()));
                        }
                    }
                }
                for (int i = 0; i < out.size(); i++) {
                    Game g = out.get(i);
                    out.set(i, new Game(g.gameId(), g.session(), g.startedAt(), g.updatedAt(), g.ply(), g.result(), g.sfen(),
                            g.lastMove(), g.sideToMove(), g.moves(), positions(c, ids.get(i)[0])));
                }
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
        return out;
    }

    private static List<GamePosition> positions(Connection c, long game) throws SQLException {
        List<GamePosition> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(POSITIONS)) {
            ps.setLong(1, game);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new GamePosition(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }
}
