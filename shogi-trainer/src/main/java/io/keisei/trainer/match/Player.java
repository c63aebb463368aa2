package io.keisei.trainer.match;

import io.keisei.trainer.shogi.Game;

/**
 * One side of a match game. The runner calls {@link #newGame} before each game with the seed of
 * that game and player, so a player that draws random numbers repeats itself exactly given the
 * same seed; then {@link #move} once per turn. Players keep no state between games beyond what
 * {@code newGame} resets, and are used by one thread at a time.
 */
public interface Player {
    /** What {@link #move} returns to resign. */
    int RESIGN = -1;

    void newGame(long seed);

    /**
     * A legal move of the game's current position (one of {@link Game#legalMoves()}, which is not
     * empty), or {@link #RESIGN}. Must not change the game.
     */
    int move(Game game);
}
