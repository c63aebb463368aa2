package io.keisei.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.contracts.config.TrainingConfig;
import io.keisei.trainer.learn.EpochReport;
import io.keisei.trainer.learn.EvalReport;
import io.keisei.trainer.learn.SelfPlayLearner;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One training attempt: the epoch loop around the learner, with metrics, game states,
 * evaluations, checkpoints and control commands. Stop and pause take effect between epochs
 * (the learner's update is atomic), always after a checkpoint.
 */
public final class TrainingRun {

    public static final String SOURCE = "trainer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainArgs args;
    private final TrainingConfig config;
    private final SelfPlayLearner learner;
    private final StreamLink link;
    private final PrintStream log;
    private final AtomicReference<ControlCommand.Type> finishRequest = new AtomicReference<>();
    private final AtomicBoolean checkpointNow = new AtomicBoolean();
    private final GameStateThrottle throttle = new GameStateThrottle(100);
    private Map<String, Double> lastMetrics = Map.of();
    private long lastCheckpointStep = -1;
    private CheckpointInfo lastCheckpoint;
    private long lastEvalStep = -1;
    /**
     * The latest evaluation (win and draw rate, games, and the step it was measured at): written into every
     * checkpoint's metrics, so a model carries its evaluation from the moment it is saved.
     */
    private Map<String, Double> lastEval = Map.of();

    public TrainingRun(TrainArgs args, TrainingConfig config, SelfPlayLearner learner, StreamLink link, PrintStream log) {
        this.args = args;
        this.config = config;
        this.learner = learner;
        this.link = link;
        this.log = log;
    }

    /**
     * Carries on the evaluation a resumed (or forked) checkpoint recorded, so that this attempt's checkpoints
     * have one before it evaluates again.
     */
    public void carryEvaluation(JsonNode savedMetrics) {
        Map<String, Double> carried = new LinkedHashMap<>();
        for (String key : MetricNames.EVALUATION) {
            JsonNode v = savedMetrics == null ? null : savedMetrics.get(key);
            if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) {
                carried.put(key, v.asDouble());
            }
        }
        if (carried.containsKey(MetricNames.EVAL_WIN_RATE_VS_RANDOM) && carried.containsKey(MetricNames.EVAL_STEP)) {
            lastEval = carried;
        }
    }

    /** Stop (checkpoint then exit 0) as if a stop command had arrived; used for SIGTERM. */
    public void requestStop() {
        finishRequest.compareAndSet(null, ControlCommand.Type.STOP);
    }

    /** Runs to completion or until stopped/paused; returns the process exit code. */
    public int run(String controlCursor) throws IOException {
        return loop(controlCursor);
    }

    private int loop(String controlCursor) throws IOException {
        link.listenForControl(controlCursor, this::onControl);
        link.startHeartbeat();
        learner.setGameListener(this::onMove);
        long total = config.training().totalTimesteps();
        long checkpointEvery = config.training().checkpointIntervalTimesteps();
        long evalEvery = config.training().evaluationIntervalTimesteps();
        boolean evaluate = config.evaluation().enablePeriodicEvaluation();
        link.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_STARTED, args.session(), args.attempt(), SOURCE,
                "running", args.resume() != null ? "resumed at step " + learner.globalStep() : null));
        log.printf("attempt %d of session %s: training from step %d to %d%n", args.attempt(), args.session(),
                learner.globalStep(), total);
        if (evaluate && learner.globalStep() == 0) {
            evaluate();
        }
        while (learner.globalStep() < total) {
            ControlCommand.Type finish = finishRequest.get();
            if (finish != null) {
                return finishOn(finish);
            }
            long before = learner.globalStep();
            EpochReport report = learner.runEpoch();
            Map<String, Double> metrics = new LinkedHashMap<>(report.metrics());
            if (link.dropped() > 0) {
                metrics.put("trainer/stream_messages_dropped", (double) link.dropped());
            }
            lastMetrics = metrics;
            publishMetrics(report.globalStep(), metrics);
            if (evaluate && crossed(before, report.globalStep(), evalEvery)) {
                evaluate();
            }
            if (crossed(before, report.globalStep(), checkpointEvery) || checkpointNow.getAndSet(false)) {
                checkpoint();
            }
        }
        if (evaluate && lastEvalStep != learner.globalStep()) {
            evaluate();
        }
        checkpoint();
        link.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_COMPLETED, args.session(), args.attempt(), SOURCE,
                "completed", null));
        log.printf("completed at step %d%n", learner.globalStep());
        return TrainerExitCodes.OK;
    }

    private int finishOn(ControlCommand.Type type) throws IOException {
        checkpoint();
        log.printf("%s at step %d%n", type == ControlCommand.Type.PAUSE ? "paused" : "stopped", learner.globalStep());
        return type == ControlCommand.Type.PAUSE ? TrainerExitCodes.PAUSED : TrainerExitCodes.OK;
    }

    private void onControl(ControlCommand cmd) {
        if (!cmd.session().equals(args.session())) {
            return;
        }
        log.printf("control: %s (%s)%n", cmd.type().wire(), cmd.requestId());
        switch (cmd.type()) {
            case STOP, PAUSE -> finishRequest.compareAndSet(null, cmd.type());
            case CHECKPOINT_NOW -> checkpointNow.set(true);
        }
    }

    private void evaluate() {
        EvalReport eval = learner.evaluateVsRandom(config.evaluation().numGames());
        lastEvalStep = learner.globalStep();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(MetricNames.EVAL_WIN_RATE_VS_RANDOM, eval.winRate());
        m.put(MetricNames.EVAL_GAMES, (double) eval.games());
        m.put(MetricNames.EVAL_DRAW_RATE, eval.games() == 0 ? 0.0 : (double) eval.draws() / eval.games());
        publishMetrics(learner.globalStep(), m);
        Map<String, Double> recorded = new LinkedHashMap<>(m);
        recorded.put(MetricNames.EVAL_STEP, (double) learner.globalStep());
        lastEval = recorded;
        log.printf("step %d: win rate vs random %.3f (%d-%d-%d)%n", learner.globalStep(), eval.winRate(), eval.wins(),
                eval.losses(), eval.draws());
    }

    private void publishMetrics(long step, Map<String, Double> metrics) {
        Map<String, Double> finite = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                finite.put(k, v);
            }
        });
        if (!finite.isEmpty()) {
            link.publish(Streams.METRICS, MetricUpdate.of(args.session(), args.attempt(), step, System.currentTimeMillis(), finite));
        }
    }

    /**
     * Writes a checkpoint at the current step and announces it. A checkpoint of this step that this
     * attempt already wrote is announced again rather than rewritten, so a published sha256 always
     * matches the file.
     */
    void checkpoint() throws IOException {
        long step = learner.globalStep();
        if (step == lastCheckpointStep && lastCheckpoint != null) {
            link.publish(Streams.EVENTS, LifecycleEvent.checkpointSaved(args.session(), args.attempt(), SOURCE, lastCheckpoint));
            return;
        }
        ObjectNode header = JSON.createObjectNode();
        header.put("session", args.session());
        header.put("attempt", args.attempt());
        header.put("createdAt", java.time.Instant.now().toString());
        ObjectNode arch = header.putObject("architecture");
        arch.put("model", "legal-move-scoring MLP over core46 features");
        arch.put("tower_width", config.training().towerWidth());
        arch.put("tower_depth", config.training().towerDepth());
        arch.put("input_features", config.training().inputFeatures());
        arch.put("num_actions_total", config.env().numActionsTotal());
        header.set("config", config.effective());
        Map<String, Double> metrics = new LinkedHashMap<>(lastMetrics);
        metrics.putAll(lastEval);
        header.set("metrics", JSON.valueToTree(metrics));
        CheckpointInfo info = CheckpointFile.write(args.checkpointDir(), step, header, learner::writeState);
        lastCheckpointStep = step;
        lastCheckpoint = info;
        link.publish(Streams.EVENTS, LifecycleEvent.checkpointSaved(args.session(), args.attempt(), SOURCE, info));
        log.printf("checkpoint at step %d: %s (%d bytes)%n", step, info.path(), info.sizeBytes());
    }

    private void onMove(String gameId, int ply, String sfen, String lastMove, List<String> moves, String result) {
        if (!throttle.allow(result != null, System.nanoTime())) {
            return;
        }
        String[] parts = sfen.split(" ");
        String side = parts.length > 1 && "w".equals(parts[1]) ? "white" : "black";
        link.publish(Streams.GAMES, new GameState(GameState.VERSION, args.session(), gameId, ply, sfen, lastMove, side,
                moves, result, System.currentTimeMillis()));
    }

    private static boolean crossed(long before, long after, long every) {
        return every > 0 && before / every != after / every;
    }
}
