package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.GroupConsumer.Received;
import io.keisei.contracts.GameState;
import io.keisei.contracts.api.GamePosition;
import io.keisei.metrics.GamePlan.Key;
import io.keisei.metrics.GamePlan.Stored;
import io.keisei.metrics.GamePlan.Write;
import io.keisei.metrics.GamePlan;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores batches of keisei:games messages, one transaction each (the consumer acknowledges after
 * it): under a lock per game, the stored states are read, {@link GamePlan} decides, and the games and
 * their new positions are written. Redelivering a batch writes nothing new.
 */
@ApplicationScoped
public class GameStore {

    private static final String LOAD = """
            SELECT g.session_id, g.game_id, g.id, g.started_at, g.updated_at, g.ply, g.result IS NOT NULL, g.moves
              FROM metrics.games g JOIN unnest(?::text[], ?::text[]) AS k(s, id) ON g.session_id = k.s AND g.game_id = k.id""";

    private static final String UPSERT = """
            INSERT INTO metrics.games AS g (session_id, game_id, started_at, updated_at, ply, result, sfen, last_move,
                                            side_to_move, moves)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (session_id, game_id) DO UPDATE SET
               started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at, ply = EXCLUDED.ply,
               result = EXCLUDED.result, sfen = EXCLUDED.sfen, last_move = EXCLUDED.last_move,
               side_to_move = EXCLUDED.side_to_move, moves = EXCLUDED.moves
            RETURNING id""";

    private static final String EARLIER_START = """
            UPDATE metrics.games SET started_at = ? WHERE id = ? AND started_at > ?""";

    private static final String DROP_POSITIONS = "DELETE FROM metrics.game_positions WHERE game = ? AND ply > ?";

    private static final String ADD_POSITIONS = """
            INSERT INTO metrics.game_positions (game, ply, sfen, last_move)
            SELECT * FROM unnest(?::int8[], ?::int4[], ?::text[], ?::text[])
            ON CONFLICT (game, ply) DO NOTHING""";

    private final AgroalDataSource dataSource;

    public GameStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The consumer's handler: stores the batch and commits before returning. */
    public void writeGames(List<Received<GameState>> batch) throws SQLException {
        List<GameState> states = new ArrayList<>(batch.size());
        batch.forEach(r -> states.add(r.message()));
        write(states);
    }

    public void write(List<GameState> states) throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        List<Key> keys = states.stream().map(g -> new Key(g.session(), g.gameId())).distinct().toList();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                AdvisoryLocks.lock(c, AdvisoryLocks.GAMES, keys.stream().map(k -> k.session() + "\n" + k.gameId()).toList());
                List<Write> writes = GamePlan.of(states, load(c, keys));
                List<Long> positionGames = new ArrayList<>();
                List<GamePosition> positions = new ArrayList<>();
                for (Write w : writes) {
                    long id = w.latest() != null ? upsert(c, w) : earlierStart(c, w);
                    if (w.dropPositionsAbove() != null) {
                        try (PreparedStatement ps = c.prepareStatement(DROP_POSITIONS)) {
                            ps.setLong(1, id);
                            ps.setInt(2, w.dropPositionsAbove());
                            ps.executeUpdate();
                        }
                    }
                    for (GamePosition p : w.positions()) {
                        positionGames.add(id);
                        positions.add(p);
                    }
                }
                addPositions(c, positionGames, positions);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Map<Key, Stored> load(Connection c, List<Key> keys) throws SQLException {
        Map<Key, Stored> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setArray(1, SqlArrays.text(c, keys, Key::session));
            ps.setArray(2, SqlArrays.text(c, keys, Key::gameId));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Key(rs.getString(1), rs.getString(2)), new Stored(rs.getLong(3),
                            rs.getTimestamp(4).getTime(), rs.getTimestamp(5).getTime(), rs.getInt(6), rs.getBoolean(7),
                            Arrays.asList((String[]) rs.getArray(8).getArray())));
                }
            }
        }
        return out;
    }

    private static long upsert(Connection c, Write w) throws SQLException {
        GameState g = w.latest();
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, g.session());
            ps.setString(2, g.gameId());
            ps.setTimestamp(3, new Timestamp(w.startedMillis()));
            ps.setTimestamp(4, new Timestamp(g.time()));
            ps.setInt(5, g.ply());
            ps.setString(6, g.result());
            ps.setString(7, g.sfen());
            ps.setString(8, g.lastMove());
            ps.setString(9, g.sideToMove());
            Array moves = c.createArrayOf("text", g.moves().toArray(String[]::new));
            ps.setArray(10, moves);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long earlierStart(Connection c, Write w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EARLIER_START)) {
            ps.setTimestamp(1, new Timestamp(w.startedMillis()));
            ps.setLong(2, w.id());
            ps.setTimestamp(3, new Timestamp(w.startedMillis()));
            ps.executeUpdate();
        }
        return w.id();
    }

    private static void addPositions(Connection c, List<Long> games, List<GamePosition> positions) throws SQLException {
        if (positions.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(ADD_POSITIONS)) {
            ps.setArray(1, c.createArrayOf("int8", games.toArray(Long[]::new)));
            ps.setArray(2, SqlArrays.int4(c, positions, GamePosition::ply));
            ps.setArray(3, SqlArrays.text(c, positions, GamePosition::sfen));
            ps.setArray(4, SqlArrays.text(c, positions, GamePosition::lastMove));
            ps.executeUpdate();
        }
    }
}
