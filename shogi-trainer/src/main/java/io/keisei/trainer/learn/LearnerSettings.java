package io.keisei.trainer.learn;

import java.util.Locale;

/**
 * Hyper-parameters of the built-in learner, named and defaulted like Keisei's
 * {@code training} section ({@link #defaults()} gives Keisei's defaults).
 *
 * @param learningRate         Adam step size; Keisei default 3e-4
 * @param gamma                discount per ply; Keisei default 0.99
 * @param lambdaGae            GAE lambda; Keisei default 0.95
 * @param clipEpsilon          PPO ratio clip; Keisei default 0.2
 * @param ppoEpochs            passes over the rollout per update; Keisei default 10
 * @param minibatchSize        samples per gradient step; Keisei default 64
 * @param stepsPerEpoch        self-play plies collected per update; Keisei default 2048
 * @param valueLossCoeff       weight of the value MSE; Keisei default 0.5
 * @param entropyCoef          weight of the entropy bonus; Keisei default 0.01
 * @param gradientClipMaxNorm  global L2 norm the gradient is clipped to; Keisei default 0.5
 * @param weightDecay          L2 penalty added to the gradient by Adam (PyTorch {@code Adam(weight_decay)}
 *                             semantics, not AdamW); Keisei default 0.0
 * @param normalizeAdvantages  normalise advantages over the whole rollout; Keisei default true
 * @param lrScheduleType       {@code none | linear | cosine | exponential | step}; Keisei default none
 *                             (see {@link LrSchedule} for the exact curves)
 * @param totalTimesteps       planned length of the run in plies; only the LR schedules use it;
 *                             Keisei default 500,000
 * @param towerWidth           hidden width of the trunk MLP (Keisei's ResNet default is 256 channels;
 *                             the built-in model is an MLP, see {@link PolicyValueNet}); default here 128
 * @param towerDepth           number of hidden layers of the trunk MLP, at least 1 (Keisei's default is
 *                             9 residual blocks); default here 2
 * @param seed                 seed of everything random (weights, self-play sampling, shuffling,
 *                             evaluation); Keisei default 42
 * @param maxMovesPerGame      move limit of a game, reached = draw; Keisei default 500
 * @param evalNumGames         games per evaluation against the random player; Keisei default 20
 */
public record LearnerSettings(
        double learningRate,
        double gamma,
        double lambdaGae,
        double clipEpsilon,
        int ppoEpochs,
        int minibatchSize,
        int stepsPerEpoch,
        double valueLossCoeff,
        double entropyCoef,
        double gradientClipMaxNorm,
        double weightDecay,
        boolean normalizeAdvantages,
        String lrScheduleType,
        long totalTimesteps,
        int towerWidth,
        int towerDepth,
        long seed,
        int maxMovesPerGame,
        int evalNumGames) {

    /** Widest trunk accepted (keeps a checkpoint or a typo from allocating gigabytes). */
    public static final int MAX_WIDTH = 2048;
    public static final int MAX_DEPTH = 16;

    public LearnerSettings {
        lrScheduleType = lrScheduleType == null ? "none" : lrScheduleType.trim().toLowerCase(Locale.ROOT);
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0");
        require(gamma >= 0 && gamma <= 1, "gamma must be in [0, 1]");
        require(lambdaGae >= 0 && lambdaGae <= 1, "lambdaGae must be in [0, 1]");
        require(clipEpsilon > 0 && clipEpsilon < 1, "clipEpsilon must be in (0, 1)");
        require(ppoEpochs >= 1, "ppoEpochs must be >= 1");
        require(minibatchSize >= 1, "minibatchSize must be >= 1");
        require(stepsPerEpoch >= 1, "stepsPerEpoch must be >= 1");
        require(valueLossCoeff >= 0 && Double.isFinite(valueLossCoeff), "valueLossCoeff must be >= 0");
        require(entropyCoef >= 0 && Double.isFinite(entropyCoef), "entropyCoef must be >= 0");
        require(gradientClipMaxNorm > 0 && Double.isFinite(gradientClipMaxNorm), "gradientClipMaxNorm must be > 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay must be >= 0");
        require(LrSchedule.isKnown(lrScheduleType),
                "lrScheduleType must be one of none|linear|cosine|exponential|step, got '" + lrScheduleType + "'");
        require(totalTimesteps >= 1, "totalTimesteps must be >= 1");
        require(towerWidth >= 1 && towerWidth <= MAX_WIDTH, "towerWidth must be in 1.." + MAX_WIDTH);
        require(towerDepth >= 1 && towerDepth <= MAX_DEPTH, "towerDepth must be in 1.." + MAX_DEPTH);
        require(maxMovesPerGame >= 1, "maxMovesPerGame must be >= 1");
        require(evalNumGames >= 0, "evalNumGames must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Keisei's training defaults (towerWidth/Depth are this learner's own defaults). */
    public static LearnerSettings defaults() {
        return new LearnerSettings(3e-4, 0.99, 0.95, 0.2, 10, 64, 2048, 0.5, 0.01, 0.5, 0.0, true, "none",
                500_000L, 128, 2, 42L, 500, 20);
    }

    /**
     * The configuration measured to learn on two CPU cores within minutes (see {@code learn-bench}):
     * Keisei's defaults except learning rate 5e-4, 4 PPO epochs, minibatches of 256 and a
     * 64-wide, 2-deep trunk (about 1 M parameters, ~4,000 plies/s on two shared cores).
     */
    public static LearnerSettings quickCpu() {
        return defaults().withLearningRate(5e-4).withPpoEpochs(4).withMinibatchSize(256).withStepsPerEpoch(2048)
                .withTower(64, 2);
    }

    public LearnerSettings withLearningRate(double v) {
        return new LearnerSettings(v, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize, stepsPerEpoch,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withGamma(double g, double lambda) {
        return new LearnerSettings(learningRate, g, lambda, clipEpsilon, ppoEpochs, minibatchSize, stepsPerEpoch,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withPpoEpochs(int v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, v, minibatchSize, stepsPerEpoch,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withMinibatchSize(int v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, v, stepsPerEpoch,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withStepsPerEpoch(int v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize, v,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withCoefficients(double valueLoss, double entropy) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLoss, entropy, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                lrScheduleType, totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withTower(int width, int depth) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                lrScheduleType, totalTimesteps, width, depth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withSeed(long v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                lrScheduleType, totalTimesteps, towerWidth, towerDepth, v, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withMaxMovesPerGame(int v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                lrScheduleType, totalTimesteps, towerWidth, towerDepth, seed, v, evalNumGames);
    }

    public LearnerSettings withSchedule(String type, long totalSteps) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                type, totalSteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withOptimizer(double clipMaxNorm, double decay, boolean normalizeAdv) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, clipMaxNorm, decay, normalizeAdv, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withClipEpsilon(double v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, v, ppoEpochs, minibatchSize, stepsPerEpoch,
                valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages, lrScheduleType,
                totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, evalNumGames);
    }

    public LearnerSettings withEvalNumGames(int v) {
        return new LearnerSettings(learningRate, gamma, lambdaGae, clipEpsilon, ppoEpochs, minibatchSize,
                stepsPerEpoch, valueLossCoeff, entropyCoef, gradientClipMaxNorm, weightDecay, normalizeAdvantages,
                lrScheduleType, totalTimesteps, towerWidth, towerDepth, seed, maxMovesPerGame, v);
    }
}
