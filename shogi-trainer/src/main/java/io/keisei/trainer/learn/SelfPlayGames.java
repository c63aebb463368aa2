package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;

import java.util.ArrayList;
import java.util.List;

/**
 * The self-play game in progress, the count of games started (which names them,
 * {@code selfplay-N}) and the {@link GameListener}. The listener follows one whole game at a time:
 * a game is designated when it starts with a listener set, so a listener set mid-game waits for
 * the next one and never sees a game without its beginning.
 */
final class SelfPlayGames {
    private final int maxMovesPerGame;
    private Game game;
    private long started;
    private String gameId;
    private boolean designated;
    private final List<String> designatedMoves = new ArrayList<>();
    private volatile GameListener listener;

    SelfPlayGames(int maxMovesPerGame) {
        this.maxMovesPerGame = maxMovesPerGame;
    }

    void setListener(GameListener l) {
        listener = l;
    }

    Position position() {
        return game.position();
    }

    MoveList legalMoves() {
        return game.legalMoves();
    }

    int moveCount() {
        return game.moveCount();
    }

    /** The moves of the game in progress, enough to rebuild it. */
    int[] moves() {
        return game.moves();
    }

    long started() {
        return started;
    }

    /** Plays {@code move} in the game in progress and shows it to the listener if the game is designated. */
    GameResult play(int move) {
        GameResult r = game.play(move);
        if (designated) {
            if (listener == null) {
                designated = false;
            } else {
                designatedMoves.add(Usi.format(move));
                call(game.moveCount(), r.isOver() ? r.outcome().name() + ":" + r.reason().name() : null);
            }
        }
        return r;
    }

    void startNext() {
        game = new Game(Position.startpos(), maxMovesPerGame);
        started++;
        gameId = "selfplay-" + started;
        designatedMoves.clear();
        designated = listener != null;
        if (designated) {
            call(0, null);
        }
    }

    /**
     * Continues from a saved state: {@code startedSoFar} games started, {@code replayed} the game
     * in progress rebuilt from its moves. A replayed game that is already over (a smaller move
     * limit on resume) is replaced by a fresh one.
     */
    void resume(long startedSoFar, Game replayed) {
        started = startedSoFar;
        if (replayed.isOver()) {
            startNext();
        } else {
            game = replayed;
            gameId = "selfplay-" + started;
            // the game began before any listener could see it
            designated = false;
        }
    }

    private void call(int ply, String result) {
        GameListener l = listener;
        if (l == null) {
            return;
        }
        String last = designatedMoves.isEmpty() ? null : designatedMoves.get(designatedMoves.size() - 1);
        try {
            l.onMove(gameId, ply, game.position().toSfen(), last, List.copyOf(designatedMoves), result);
        } catch (RuntimeException e) {
            // a UI problem must never stop training
        }
    }
}
