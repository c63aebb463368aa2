package io.keisei.trainer.match;

import io.keisei.trainer.learn.Rng;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays the games of a match between players A and B. Game {@code i} has A as Black when {@code i}
 * is even and as White when it is odd. Each game ends by the rules of {@link Game} (no legal move,
 * sennichite, perpetual check, the move limit) or, between moves, by an entering-king declaration
 * (the side to move declares as soon as {@link io.keisei.trainer.shogi.Impasse} allows it: every
 * player declares a won impasse) or a resignation ({@link Player#RESIGN}).
 *
 * <p>Reproducible: game {@code i}'s players get seeds derived only from the match seed and
 * {@code i}, so the same seed and players give the same games, move for move, whatever the number
 * of threads.
 */
public final class MatchRunner {

    /**
     * @param games     number of games
     * @param seed      match seed
     * @param maxMoves  move limit per game (reached: a draw)
     * @param startSfen position every game starts from
     * @param threads   games played at once
     */
    public record Settings(int games, long seed, int maxMoves, String startSfen, int threads) {
        public Settings {
            if (games < 0 || maxMoves < 1 || threads < 1) {
                throw new IllegalArgumentException("games >= 0, maxMoves >= 1 and threads >= 1 required");
            }
        }
    }

    /** Sees every ply of every game; called on the thread playing it. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param index the game's index
         * @param game  the game after the ply (read only; its result says whether it is over)
         * @param moves its moves so far in USI (do not keep: it grows)
         */
        void onPly(int index, Game game, List<String> moves);
    }

    private MatchRunner() {
    }

    /** Seed of a player of a game: {@code role} 1 for A, 2 for B. */
    static long playerSeed(long matchSeed, int index, int role) {
        return Rng.mix(Rng.mix(matchSeed, index), role);
    }

    public static MatchResult run(PlayerSpec a, PlayerSpec b, Settings s, Listener listener) {
        Position start = Position.fromSfen(s.startSfen());
        long t0 = System.nanoTime();
        MatchResult.GameRecord[] records = new MatchResult.GameRecord[s.games()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            Player pa = a.newPlayer();
            Player pb = b.newPlayer();
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < s.games()) {
                try {
                    records[i] = play(i, pa, pb, start, s, listener);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int threads = Math.min(s.threads(), Math.max(1, s.games()));
        if (threads == 1) {
            worker.run();
        } else {
            List<Thread> pool = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(worker, "match-" + t);
                th.start();
                pool.add(th);
            }
            for (Thread th : pool) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, new IllegalStateException("interrupted"));
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new MatchResult(a.text(), b.text(), s.seed(), s.maxMoves(), List.copyOf(Arrays.asList(records)), seconds);
    }

    /** Plays game {@code index} from {@code start}. */
    static MatchResult.GameRecord play(int index, Player a, Player b, Position start, Settings s, Listener listener) {
        boolean aIsBlack = (index & 1) == 0;
        a.newGame(playerSeed(s.seed(), index, 1));
        b.newGame(playerSeed(s.seed(), index, 2));
        Player black = aIsBlack ? a : b;
        Player white = aIsBlack ? b : a;
        Game game = new Game(start, s.maxMoves());
        List<String> moves = new ArrayList<>();
        if (listener != null) {
            listener.onPly(index, game, moves);
        }
        while (!game.isOver()) {
            GameResult r = game.declareImpasse();
            if (!r.isOver()) {
                Player mover = game.position().sideToMove() == Piece.BLACK ? black : white;
                int move = mover.move(game);
                if (move == Player.RESIGN) {
                    game.resign();
                } else {
                    game.play(move);
                    moves.add(Usi.format(move));
                }
            }
            if (listener != null) {
                listener.onPly(index, game, moves);
            }
        }
        return new MatchResult.GameRecord(index, aIsBlack, game.result(), List.copyOf(moves), game.startSfen());
    }
}
