package io.keisei.metrics;

import io.keisei.contracts.GameState;
import io.keisei.contracts.api.GamePosition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of keisei:games messages changes, decided before any write.
 *
 * <p>The newest state of a game wins: newer by the trainer's wall time, then by ply, then a finished
 * state over a running one. A redelivered or late state therefore changes nothing but, at most, the
 * game's start time. Positions are kept only when the state's move list is a prefix of the winning
 * move list, so they always belong to the game that is stored.
 *
 * <p>Trainers number games per session and restart the count when a session resumes from a
 * checkpoint, so a game id can come back for a different game. Its moves then diverge from the
 * stored ones: the stored positions after the common prefix are dropped with the old game's state,
 * and the game's start time is the new game's.
 */
public final class GamePlan {

    /** A game by the key trainers give it. */
    public record Key(String session, String gameId) {
    }

    /** What the database holds for a game. */
    public record Stored(long id, long startedMillis, long updatedMillis, int ply, boolean finished, List<String> moves) {
    }

    /**
     * The write for one game.
     *
     * @param id                 the stored game's id; null for a new game
     * @param latest             the state to store; null when the stored state stays
     * @param startedMillis      the earliest time this game was seen
     * @param dropPositionsAbove drop stored positions after this ply (a reused game id); null to keep them
     * @param positions          positions to add (existing ones are kept)
     */
    public record Write(Key key, Long id, GameState latest, long startedMillis, Integer dropPositionsAbove,
                        List<GamePosition> positions) {
    }

    private GamePlan() {
    }

    public static List<Write> of(List<GameState> incoming, Map<Key, Stored> stored) {
        Map<Key, List<GameState>> byGame = new LinkedHashMap<>();
        incoming.forEach(g -> byGame.computeIfAbsent(new Key(g.session(), g.gameId()), k -> new ArrayList<>()).add(g));
        List<Write> out = new ArrayList<>(byGame.size());
        byGame.forEach((key, states) -> {
            states.sort(NEWEST_LAST);
            GameState newest = states.get(states.size() - 1);
            Stored s = stored.get(key);
            boolean replace = s == null || isNewer(newest, s);
            List<String> winning = replace ? newest.moves() : s.moves();
            Integer drop = null;
            long started = Long.MAX_VALUE;
            if (s != null) {
                int common = commonPrefix(s.moves(), winning);
                if (replace && common < s.moves().size()) {
                    drop = common; // a different game under a reused id: it started now, not when the old one did
                } else {
                    started = s.startedMillis();
                }
            }
            // Only states of the winning game count: their positions, and their times for its start.
            Map<Integer, GamePosition> positions = new LinkedHashMap<>();
            for (GameState g : states) {
                if (isPrefix(g.moves(), winning)) {
                    positions.putIfAbsent(g.ply(), new GamePosition(g.ply(), g.sfen(), g.lastMove()));
                    started = Math.min(started, g.time());
                }
            }
            out.add(new Write(key, s == null ? null : s.id(), replace ? newest : null, started, drop,
                    List.copyOf(positions.values())));
        });
        return out;
    }

    private static final Comparator<GameState> NEWEST_LAST = Comparator.comparingLong(GameState::time)
            .thenComparingInt(GameState::ply).thenComparing(g -> g.result() != null);

    static boolean isNewer(GameState g, Stored s) {
        if (g.time() != s.updatedMillis()) {
            return g.time() > s.updatedMillis();
        }
        if (g.ply() != s.ply()) {
            return g.ply() > s.ply();
        }
        return g.result() != null && !s.finished();
    }

    static int commonPrefix(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        int i = 0;
        while (i < n && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    static boolean isPrefix(List<String> prefix, List<String> of) {
        return prefix.size() <= of.size() && commonPrefix(prefix, of) == prefix.size();
    }
}
