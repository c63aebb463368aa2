package io.keisei.trainer.learn;

/**
 * Result of {@link SelfPlayLearner#evaluateVsRandom(int)}: counts from the learner's point of view
 * and {@code winRate = wins / games} (draws count as non-wins; 0 when no game was played).
 */
public record EvalReport(int wins, int losses, int draws, double winRate) {
    public int games() {
        return wins + losses + draws;
    }

    public static EvalReport of(int wins, int losses, int draws) {
        int n = wins + losses + draws;
        return new EvalReport(wins, losses, draws, n == 0 ? 0.0 : wins / (double) n);
    }
}
