package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated, complete Keisei training config (user values over Keisei's defaults). Obtain one
 * from {@link ConfigValidator#validate}; {@link #effective()} is the JSON a trainer receives.
 */
public record TrainingConfig(Env env, Training training, Evaluation evaluation, Logging logging, Wandb wandb,
                             Parallel parallel) {

    static final ObjectMapper SNAKE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    public record Env(String device, int inputChannels, int numActionsTotal, long seed, int maxMovesPerGame) {
    }

    public record Training(long totalTimesteps, int stepsPerEpoch, int ppoEpochs, int minibatchSize, double learningRate,
                           double gamma, double clipEpsilon, double valueLossCoeff, double entropyCoef, double lambdaGae,
                           double gradientClipMaxNorm, double weightDecay, boolean normalizeAdvantages,
                           String inputFeatures, int towerDepth, int towerWidth, double seRatio, String modelType,
                           boolean mixedPrecision, boolean ddp, long checkpointIntervalTimesteps,
                           long evaluationIntervalTimesteps, String lrScheduleType, int renderEverySteps) {
    }

    public record Evaluation(boolean enablePeriodicEvaluation, int numGames, String opponentType, String strategy,
                             int maxMovesPerGame, boolean updateElo) {
    }

    public record Logging(String logFile, String modelDir, String runName) {
    }

    public record Wandb(boolean enabled, String project, String entity, String runNamePrefix) {
    }

    public record Parallel(boolean enabled, int numWorkers, int batchSize, int syncInterval) {
    }

    /** The config as Keisei-shaped JSON (snake_case keys, every key present). */
    public ObjectNode effective() {
        return SNAKE.valueToTree(this);
    }

    static TrainingConfig fromEffective(ObjectNode effective) {
        return SNAKE.convertValue(effective, TrainingConfig.class);
    }
}
