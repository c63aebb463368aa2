package io.keisei.trainer.match;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.trainer.shogi.GameResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The games of a match between players A and B, and their tally. */
public record MatchResult(String playerA, String playerB, long seed, int maxMoves, List<GameRecord> games, double seconds) {

    /**
     * One game.
     *
     * @param aIsBlack  whether player A had Black (moved first)
     * @param result    how it ended (never ongoing)
     * @param moves     every move, in USI
     * @param startSfen the position it started from
     */
    public record GameRecord(int index, boolean aIsBlack, GameResult result, List<String> moves, String startSfen) {
        public int plies() {
            return moves.size();
        }

        /** "A" or "B" for the winner, null for a draw. */
        public String winner() {
            int w = result.winner();
            if (w < 0) {
                return null;
            }
            return (w == 0) == aIsBlack ? "A" : "B";
        }

        /** {@code black_win}, {@code white_win} or {@code draw}. */
        public String resultText() {
            return result.outcome().name().toLowerCase(Locale.ROOT);
        }

        /** The reason in lower case: {@code checkmate}, {@code impasse}, {@code max_moves}, ... */
        public String reasonText() {
            return result.reason().name().toLowerCase(Locale.ROOT);
        }
    }

    public int aWins() {
        return (int) games.stream().filter(g -> "A".equals(g.winner())).count();
    }

    public int bWins() {
        return (int) games.stream().filter(g -> "B".equals(g.winner())).count();
    }

    public int draws() {
        return (int) games.stream().filter(g -> g.winner() == null).count();
    }

    /** A's score: (wins + draws / 2) / games; 0 without games. */
    public double aScore() {
        return games.isEmpty() ? 0 : (aWins() + draws() / 2.0) / games.size();
    }

    public double gamesPerSecond() {
        return seconds <= 0 ? 0 : games.size() / seconds;
    }

    /** Games per ending reason, by reason text. */
    public Map<String, Integer> reasons() {
        Map<String, Integer> m = new TreeMap<>();
        games.forEach(g -> m.merge(g.reasonText(), 1, Integer::sum));
        return m;
    }

    /** The result document written by {@code match} (see the command's documentation). */
    public ObjectNode toJson(ObjectMapper json, String evaluationId) {
        ObjectNode root = json.createObjectNode();
        root.put("playerA", playerA);
        root.put("playerB", playerB);
        if (evaluationId != null) {
            root.put("evaluation", evaluationId);
        }
        root.put("seed", seed);
        root.put("maxMoves", maxMoves);
        ArrayNode list = root.putArray("games");
        for (GameRecord g : games) {
            ObjectNode o = list.addObject();
            o.put("index", g.index());
            o.put("black", g.aIsBlack() ? "A" : "B");
            o.put("white", g.aIsBlack() ? "B" : "A");
            o.put("result", g.resultText());
            o.put("reason", g.reasonText());
            o.put("winner", g.winner());
            o.put("plies", g.plies());
            ArrayNode moves = o.putArray("moves");
            g.moves().forEach(moves::add);
            o.put("startSfen", g.startSfen());
        }
        ObjectNode s = root.putObject("summary");
        s.put("aWins", aWins());
        s.put("bWins", bWins());
        s.put("draws", draws());
        s.put("games", games.size());
        s.put("aScore", aScore());
        s.set("reasons", json.valueToTree(reasons()));
        s.put("plies", games.stream().mapToLong(GameRecord::plies).sum());
        s.put("seconds", Math.round(seconds * 1000) / 1000.0);
        s.put("gamesPerSecond", Math.round(gamesPerSecond() * 1000) / 1000.0);
        return root;
    }

    /** One line: the players, the tally and the speed. */
    public String summaryLine() {
        return String.format(Locale.ROOT,
                "match: A=%s B=%s games=%d A wins %d, B wins %d, draws %d (A score %.3f) in %.1f s (%.3f games/s)",
                playerA, playerB, games.size(), aWins(), bWins(), draws(), aScore(), seconds, gamesPerSecond());
    }
}
