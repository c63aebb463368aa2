package io.keisei.trainer.match;

import io.keisei.trainer.learn.Rng;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.MoveList;

/** {@code random}: a legal move chosen uniformly with the game's seeded generator. */
final class RandomPlayer implements Player {
    private Rng rng = new Rng(0);

    @Override
    public void newGame(long seed) {
        rng = new Rng(seed);
    }

    @Override
    public int move(Game game) {
        MoveList legal = game.legalMoves();
        return legal.get(rng.nextInt(legal.size()));
    }
}
