package io.keisei.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.contracts.config.InvalidConfigException;
import io.keisei.contracts.config.TrainingConfig;
import io.keisei.trainer.learn.LearnerSettings;
import io.keisei.trainer.learn.SelfPlayLearner;
import io.keisei.trainer.run.CheckpointFile;
import io.keisei.trainer.run.StreamLink;
import io.keisei.trainer.run.TrainArgs;
import io.keisei.trainer.run.TrainingRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code shogi-trainer train ...}: one training attempt launched by training-service. Every
 * failure ends with a one-line reason on stderr, a {@code session.failed} event when Redis is
 * reachable, and a documented exit code ({@link TrainerExitCodes}).
 */
public final class TrainCommand {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    public TrainCommand(PrintStream out, PrintStream err) {
        this(out, err, System.getenv());
    }

    /** With an explicit environment, so tests can shorten retry windows and TTLs. */
    public TrainCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public int run(List<String> argv) {
        TrainArgs args;
        try {
            args = TrainArgs.parse(argv, env);
        } catch (TrainArgs.UsageException e) {
            err.println("shogi-trainer train: " + e.getMessage());
            return TrainerExitCodes.BAD_CONFIG;
        }
        Streams.MaxLengths maxLengths;
        try {
            // KEISEI_STREAMS_<STREAM>_MAX_LENGTH: the same limits as the services' keisei.streams.*.max-length.
            maxLengths = Streams.MaxLengths.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            return fail(args, TrainerExitCodes.BAD_CONFIG, e.getMessage());
        }
        TrainingConfig config;
        LearnerSettings settings;
        try {
            config = ConfigValidator.validate(Files.readString(args.config()));
            settings = settingsFrom(config);
        } catch (IOException e) {
            return fail(args, TrainerExitCodes.BAD_CONFIG, "cannot read config " + args.config() + ": " + e.getMessage());
        } catch (InvalidConfigException e) {
            return fail(args, TrainerExitCodes.BAD_CONFIG, "invalid config: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return fail(args, TrainerExitCodes.BAD_CONFIG, "config not supported by the built-in trainer: " + e.getMessage());
        }

        SelfPlayLearner learner;
        JsonNode resumedMetrics = null;
        if (args.resume() != null) {
            try (CheckpointFile.Opened ckpt = CheckpointFile.open(args.resume())) {
                checkArchitecture(ckpt.header().path("config"), config);
                learner = SelfPlayLearner.readState(ckpt.payload(), settings);
                resumedMetrics = ckpt.header().path("metrics");
            } catch (CheckpointFile.CheckpointException e) {
                return fail(args, TrainerExitCodes.BAD_CHECKPOINT, e.getMessage());
            } catch (IOException | RuntimeException e) {
                return fail(args, TrainerExitCodes.BAD_CHECKPOINT, "checkpoint " + args.resume() + " cannot be restored: " + e.getMessage());
            }
        } else {
            learner = new SelfPlayLearner(settings);
        }

        StreamLink link;
        try {
            link = StreamLink.connect(args.redisUrl(), args.session(), Duration.ofSeconds(envLong("KEISEI_TRAINER_REDIS_RETRY_SECONDS", 30)),
                    (int) envLong("KEISEI_TRAINER_BUFFER_MESSAGES", 10_000),
                    Duration.ofSeconds(envLong("KEISEI_TRAINER_HEARTBEAT_TTL_SECONDS", 10)), maxLengths);
        } catch (IllegalStateException e) {
            err.println("shogi-trainer train: " + e.getMessage());
            return TrainerExitCodes.REDIS_UNAVAILABLE;
        }

        TrainingRun run = new TrainingRun(args, config, learner, link, out);
        run.carryEvaluation(resumedMetrics);
        // SIGTERM (and Ctrl-C) act like a stop command: finish the epoch, checkpoint, exit 0.
        for (String signal : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> run.requestStop());
            } catch (IllegalArgumentException e) {
                // signal not available on this platform
            }
        }
        try {
            String cursor = args.controlCursor() != null ? args.controlCursor() : link.currentControlCursor();
            int code = run.run(cursor);
            link.close(Duration.ofSeconds(10));
            return code;
        } catch (Exception | OutOfMemoryError e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            link.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_FAILED, args.session(), args.attempt(),
                    TrainingRun.SOURCE, "failed", reason));
            link.close(Duration.ofSeconds(5));
            err.println("shogi-trainer train: " + reason);
            return TrainerExitCodes.FAILED;
        }
    }

    /** Maps Keisei's config onto the learner's settings. */
    static LearnerSettings settingsFrom(TrainingConfig c) {
        TrainingConfig.Training t = c.training();
        return new LearnerSettings(t.learningRate(), t.gamma(), t.lambdaGae(), t.clipEpsilon(), t.ppoEpochs(),
                t.minibatchSize(), t.stepsPerEpoch(), t.valueLossCoeff(), t.entropyCoef(), t.gradientClipMaxNorm(),
                t.weightDecay(), t.normalizeAdvantages(), t.lrScheduleType(), t.totalTimesteps(), t.towerWidth(),
                t.towerDepth(), c.env().seed(), c.env().maxMovesPerGame(), c.evaluation().numGames());
    }

    private static void checkArchitecture(JsonNode saved, TrainingConfig config) throws CheckpointFile.CheckpointException {
        JsonNode t = saved.path("training");
        if (t.path("tower_width").asInt(-1) != config.training().towerWidth()
                || t.path("tower_depth").asInt(-1) != config.training().towerDepth()) {
            throw new CheckpointFile.CheckpointException("checkpoint architecture (tower_width "
                    + t.path("tower_width").asText("?") + ", tower_depth " + t.path("tower_depth").asText("?")
                    + ") does not match the config (" + config.training().towerWidth() + ", "
                    + config.training().towerDepth() + ")");
        }
    }

    /** Prints the reason and, when Redis answers quickly, also publishes it as a failed event. */
    private int fail(TrainArgs args, int code, String reason) {
        err.println("shogi-trainer train: " + reason);
        Streams.MaxLengths maxLengths;
        try {
            maxLengths = Streams.MaxLengths.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            maxLengths = Streams.MaxLengths.defaults();
        }
        try (StreamLink link = StreamLink.connect(args.redisUrl(), args.session(), Duration.ofSeconds(3), 16, Duration.ofSeconds(1),
                maxLengths)) {
            link.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_FAILED, args.session(), args.attempt(),
                    TrainingRun.SOURCE, "failed", reason));
        } catch (RuntimeException e) {
            // Redis unreachable: the exit code and stderr still carry the reason.
        }
        return code;
    }

    private long envLong(String name, long fallback) {
        String v = env.get(name);
        try {
            return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
