package io.keisei.trainer.match;

import io.keisei.trainer.learn.NetworkPolicy;
import io.keisei.trainer.learn.Rng;
import io.keisei.trainer.shogi.Game;

/**
 * {@code checkpoint:PATH}: a trained model. Plays its most probable legal move, or samples from
 * softmax(logits / temperature) when a temperature above 0 is set. With a resign threshold V it
 * resigns when its value estimate of the position it is to move in has been below -V on
 * {@value #RESIGN_AFTER} of its consecutive turns.
 */
final class NetworkPlayer implements Player {
    /** Consecutive own turns below the threshold before resigning. */
    static final int RESIGN_AFTER = 3;

    private final NetworkPolicy.Chooser chooser;
    private final double temperature;
    private final double resignThreshold;
    private Rng rng = new Rng(0);
    private int lowTurns;

    /**
     * @param temperature     0 for greedy play
     * @param resignThreshold resign below -resignThreshold; NaN never resigns
     */
    NetworkPlayer(NetworkPolicy.Chooser chooser, double temperature, double resignThreshold) {
        this.chooser = chooser;
        this.temperature = temperature;
        this.resignThreshold = resignThreshold;
    }

    @Override
    public void newGame(long seed) {
        rng = new Rng(seed);
        lowTurns = 0;
    }

    @Override
    public int move(Game game) {
        int move = chooser.choose(game.position(), game.legalMoves(), temperature, rng);
        if (!Double.isNaN(resignThreshold)) {
            lowTurns = chooser.lastValue() < -resignThreshold ? lowTurns + 1 : 0;
            if (lowTurns >= RESIGN_AFTER) {
                return RESIGN;
            }
        }
        return move;
    }
}
