package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;

/**
 * Games of the policy against a uniform-random player ({@link SelfPlayLearner#evaluateVsRandom(int, boolean)}).
 * Its random stream comes from the seed and the global step rather than from the training stream,
 * so that evaluating leaves training untouched and is repeatable for a given model and step.
 */
final class RandomOpponentEvaluation {
    private RandomOpponentEvaluation() {
    }

    static EvalReport play(PolicyInference policy, LearnerSettings s, long globalStep, int games, boolean greedy) {
        if (games < 0) {
            throw new IllegalArgumentException("games must be >= 0");
        }
        Rng r = new Rng(Rng.mix(s.seed(), 0x5EED0000L + globalStep));
        int wins = 0;
        int losses = 0;
        int drawn = 0;
        for (int g = 0; g < games; g++) {
            int me = (g & 1) == 0 ? Piece.BLACK : Piece.WHITE;
            Game eg = new Game(Position.startpos(), s.maxMovesPerGame());
            while (!eg.isOver()) {
                MoveList legal = eg.legalMoves();
                int move;
                if (eg.position().sideToMove() == me) {
                    move = policy.chooseMove(eg.position(), legal, greedy, r);
                } else {
                    move = legal.get(r.nextInt(legal.size()));
                }
                eg.play(move);
            }
            int winner = eg.result().winner();
            if (winner < 0) {
                drawn++;
            } else if (winner == me) {
                wins++;
            } else {
                losses++;
            }
        }
        return EvalReport.of(wins, losses, drawn);
    }
}
