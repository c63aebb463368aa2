package io.keisei.trainer.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.infra.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.keisei.trainer.bridge.PythonBridgeEnvironment.bridgeVariables;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.log;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.metrics;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The Keisei bridge ({@code examples/keisei-bridge/keisei_bridge.py}) run for real by the system
 * {@code python3} on its stand-in Keisei trainer ({@code demo_trainer.py}) against a real Redis.
 * Everything the Python side writes is decoded with the Java {@link StreamCodec}, so the bridge's
 * wire format is checked against the contract records themselves. The stand-in behaves like Keisei
 * 1ea1111 where the bridge depends on it (a loop that catches KeyboardInterrupt and saves
 * checkpoint_ts{step}.pth in its clean-up, its own periodic checkpoints, epochs as long as needed)
 * and runs through train_webui.py, the wrapper a real run uses.
 */
class KeiseiBridgeTest {

    private static final int PAUSED = 10;
    private static final List<String> KEISEI_PPO_NAMES = List.of(MetricNames.POLICY_LOSS, MetricNames.VALUE_LOSS,
            MetricNames.ENTROPY, MetricNames.KL_DIVERGENCE, MetricNames.CLIP_FRACTION, MetricNames.LEARNING_RATE);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a start or a stop may take: far less than one long epoch. */
    private static final Duration PATIENCE = Duration.ofSeconds(8);
    /** An epoch of at least 50 s (50,000 steps of >= 1 ms), like Keisei's 2048 steps on a CPU: far beyond PATIENCE. */
    private static final long LONG_EPOCH_STEPS = 50_000;
    private static final String[] LONG_EPOCHS = {"--epochs", "0", "--steps-per-epoch", String.valueOf(LONG_EPOCH_STEPS),
            "--step-sleep", "0.001"};
    /** The stand-in's run name: Keisei's model_dir is {savedir}/{run_name}, savedir = KEISEI_CHECKPOINT_DIR. */
    private static final String RUN_NAME = "demo";

    private static final String NO_PYTHON = "python3 not found: skipping the Keisei bridge test";

    /** Tag of the tests that only read files: they run without python3. */
    private static final String FILES_ONLY = "files-only";
    /** The placeholders of custom trainer templates (training-service's TrainerInvocation). */
    private static final Set<String> TEMPLATE_PLACEHOLDERS = Set.of("config", "checkpoint_dir", "resume", "resume_args",
            "session", "attempt", "redis");

    private static PythonBridgeEnvironment env;

    @BeforeAll
    static void setUp() {
        env = PythonBridgeEnvironment.start("3", NO_PYTHON, "demo_trainer.py", "keisei.bridge.dir");
    }

    @AfterAll
    static void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    /** Per test, so that every test is reported as skipped, with the reason. */
    @BeforeEach
    void requirePython(TestInfo test) {
        if (!test.getTags().contains(FILES_ONLY)) {
            env.assumePython();
        }
    }

    @Test
    void publishesMetricsGamesHeartbeatAndEventsAndPausesWithKeiseisCheckpoint(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        // A command of an earlier attempt: the bridge must start after it, not replay it.
        env.send(ControlCommand.of(ControlCommand.Type.STOP, session, "old-attempt"));
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 1, ckpt, null, "--epochs", "0", "--sleep", "0.05");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> env.metrics(session).size() >= 4 && !env.games(session).isEmpty());

            List<MetricUpdate> updates = env.metrics(session);
            assertThat(updates).allSatisfy(m -> {
                assertThat(m.attempt()).isEqualTo(1);
                assertThat(m.metrics()).containsKeys(KEISEI_PPO_NAMES.toArray(String[]::new))
                        .containsKeys(MetricNames.EPISODES_COMPLETED, MetricNames.BLACK_WIN_RATE, MetricNames.WHITE_WIN_RATE,
                                MetricNames.DRAW_RATE, MetricNames.GRADIENT_NORM)
                        .doesNotContainKeys("ppo/nan_metric", "ppo/inf_metric");
                double rates = m.metrics().get(MetricNames.BLACK_WIN_RATE) + m.metrics().get(MetricNames.WHITE_WIN_RATE)
                        + m.metrics().get(MetricNames.DRAW_RATE);
                assertThat(rates).isCloseTo(1.0, within(1e-9));
                assertThat(m.time()).isCloseTo(System.currentTimeMillis(), within(60_000L));
            });
            assertThat(updates).extracting(MetricUpdate::step).isSorted().doesNotHaveDuplicates();
            assertThat(updates).as("no evaluation ran: none is published").allSatisfy(m -> assertThat(m.metrics().keySet())
                    .noneMatch(n -> n.startsWith(MetricNames.KEISEI_EVAL_PREFIX) || n.startsWith("eval/")));
            assertThat(updates.get(0).step()).isEqualTo(64);
            assertThat(updates.get(updates.size() - 1).metrics()).containsKey(MetricNames.STEPS_PER_SECOND);
            assertThat(updates.get(updates.size() - 1).metrics().get(MetricNames.STEPS_PER_SECOND)).isPositive();

            GameState game = env.games(session).get(0);
            assertThat(game.gameId()).startsWith("keisei-");
            assertThat(game.sideToMove()).isEqualTo(game.sfen().split(" ")[1].equals("w") ? "white" : "black");
            assertThat(game.moves()).hasSize(game.ply());
            if (!game.moves().isEmpty()) {
                assertThat(game.lastMove()).isEqualTo(game.moves().get(game.moves().size() - 1)).matches("[1-9][a-i][1-9][a-i]\\+?");
            }

            assertThat(env.redis().exists(Streams.heartbeat(session))).isTrue();
            assertThat(env.redis().ttl(Streams.heartbeat(session))).isBetween(1L, 10L);

            List<LifecycleEvent> events = env.events(session);
            assertThat(events).hasSize(1);
            LifecycleEvent started = events.get(0);
            assertThat(started.type()).isEqualTo(EventType.SESSION_STARTED);
            assertThat(started.source()).isEqualTo("trainer");
            assertThat(started.state()).isEqualTo("running");
            assertThat(started.attempt()).isEqualTo(1);
            assertThat(started.reason()).isNull();
            assertThat(p.isAlive()).as("the old attempt's stop is not replayed\n%s", output(tmp)).isTrue();

            env.send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "r-pause"));
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(PAUSED);

            LifecycleEvent saved = lastCheckpoint(session);
            assertThat(saved.source()).isEqualTo("trainer");
            assertThat(saved.attempt()).isEqualTo(1);
            assertKeiseisFinalCheckpoint(saved, ckpt.resolve(RUN_NAME));
            List<MetricUpdate> all = env.metrics(session);
            assertThat(saved.checkpoint().step()).isGreaterThanOrEqualTo(all.get(all.size() - 1).step());
            assertThat(env.events(session)).extracting(LifecycleEvent::type).doesNotContain(EventType.SESSION_COMPLETED);
            assertThat(env.redis().exists(Streams.heartbeat(session))).as("heartbeat removed at exit").isFalse();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Keisei's epoch (2048 steps) can outlast the stop grace on a CPU: session.started must not wait for the end of the
     * first epoch, and a stop must interrupt the epoch, let Keisei's own clean-up save its checkpoint, and exit 0.
     */
    @Test
    void startedAtOnceAndAStopEndsTheEpochEarlyWithKeiseisOwnCheckpoint(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 1, ckpt, null, LONG_EPOCHS);
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> !env.events(session).isEmpty());
            assertThat(env.events(session)).extracting(LifecycleEvent::type).containsExactly(EventType.SESSION_STARTED);
            assertThat(env.metrics(session)).as("the first epoch has not ended").isEmpty();

            long sent = System.nanoTime();
            env.send(ControlCommand.of(ControlCommand.Type.STOP, session, "r-stop"));
            assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("stopped mid-epoch\n%s", output(tmp)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(PATIENCE);
            assertThat(p.exitValue()).as(output(tmp)).isZero();

            LifecycleEvent saved = lastCheckpoint(session);
            assertThat(saved.checkpoint().step()).as("mid-epoch").isBetween(1L, LONG_EPOCH_STEPS - 1);
            assertKeiseisFinalCheckpoint(saved, ckpt.resolve(RUN_NAME));
            assertThat(env.metrics(session)).isEmpty();
            assertThat(env.events(session)).extracting(LifecycleEvent::type)
                    .containsExactly(EventType.SESSION_STARTED, EventType.CHECKPOINT_SAVED);
            assertThat(env.redis().exists(Streams.heartbeat(session))).isFalse();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermIsAStopMidEpoch(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 1, ckpt, null, LONG_EPOCHS);
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> !env.events(session).isEmpty());
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isZero();
            LifecycleEvent saved = lastCheckpoint(session);
            assertThat(saved.checkpoint().step()).isBetween(1L, LONG_EPOCH_STEPS - 1);
            assertKeiseisFinalCheckpoint(saved, ckpt.resolve(RUN_NAME));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void checkpointNowWaitsForTheEpochBoundaryAndStopExitsZero(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        env.send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "old-attempt"));
        String cursor = env.redis().xrevrange(Streams.control(session), "+", "-", 1).get(0).getID().toString();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 2, ckpt, cursor, "--epochs", "0", "--sleep", "0.05", "--save-callable");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> env.metrics(session).size() >= 2);
            env.send(ControlCommand.of(ControlCommand.Type.CHECKPOINT_NOW, session, "r-ckpt"));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> env.events(session).stream().anyMatch(e -> e.type() == EventType.CHECKPOINT_SAVED));
            LifecycleEvent first = lastCheckpoint(session);
            assertThat(first.checkpoint().step() % 64).as("saved at an epoch boundary").isZero();
            Path custom = Path.of(first.checkpoint().path());
            assertThat(custom.getFileName().toString()).isEqualTo("custom_ts" + first.checkpoint().step() + ".pth");
            assertThat(Files.size(custom)).isEqualTo(first.checkpoint().sizeBytes());
            assertThat(sha256(custom)).isEqualTo(first.checkpoint().sha256());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> env.metrics(session).stream()
                    .anyMatch(m -> m.step() > first.checkpoint().step()));
            assertThat(p.isAlive()).as(output(tmp)).isTrue();

            env.send(ControlCommand.of(ControlCommand.Type.STOP, session, "r-stop"));
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(0);

            List<LifecycleEvent> saved = env.events(session).stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
            assertThat(saved).hasSize(2).allSatisfy(e -> assertThat(e.attempt()).isEqualTo(2));
            assertThat(saved.get(1).checkpoint().step()).isGreaterThan(first.checkpoint().step());
            assertKeiseisFinalCheckpoint(saved.get(1), ckpt.resolve(RUN_NAME));
            assertThat(env.metrics(session)).allSatisfy(m -> assertThat(m.attempt()).isEqualTo(2));
            assertThat(env.events(session).get(0).type()).isEqualTo(EventType.SESSION_STARTED);
            assertThat(env.events(session).get(0).attempt()).isEqualTo(2);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Keisei's periodic checkpoints, its final checkpoint and final_model.pth: each announced once; completion once. */
    @Test
    void keiseisOwnCheckpointsAreAnnouncedOnceEachAndCompletionExactlyOnce(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 1, ckpt, null, "--epochs", "6", "--sleep", "0.01",
                "--checkpoint-interval", "128");
        try {
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isZero();

            Path modelDir = ckpt.resolve(RUN_NAME);
            List<LifecycleEvent> saved = env.events(session).stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
            assertThat(saved).extracting(e -> Path.of(e.checkpoint().path()).getFileName().toString())
                    .containsExactly("checkpoint_ts128.pth", "checkpoint_ts256.pth", "checkpoint_ts384.pth", "final_model.pth");
            try (var files = Files.list(modelDir)) {
                assertThat(files.map(f -> f.toAbsolutePath().toString()).toList())
                        .containsExactlyInAnyOrderElementsOf(saved.stream().map(e -> e.checkpoint().path()).toList());
            }
            for (LifecycleEvent e : saved) {
                Path file = Path.of(e.checkpoint().path());
                assertThat(Files.size(file)).isEqualTo(e.checkpoint().sizeBytes());
                assertThat(sha256(file)).as(file.toString()).isEqualTo(e.checkpoint().sha256());
            }
            assertThat(saved).extracting(e -> e.checkpoint().step()).containsExactly(128L, 256L, 384L, 384L);
            // The checkpoint's metadata: the last epoch's metrics; no evaluation ran, so none is recorded.
            Map<String, JsonNode> metadata = checkpointMetadata(session);
            assertThat(metadata).hasSize(4).allSatisfy((file, metrics) -> {
                assertThat(metrics.has(MetricNames.POLICY_LOSS)).as("%s: %s", file, metrics).isTrue();
                assertThat(metrics.properties()).as(file).noneMatch(e -> e.getKey().contains("eval/"));
            });
            assertThat(metadata.get("checkpoint_ts128.pth").get(MetricNames.EPISODES_COMPLETED).isNumber()).isTrue();

            List<LifecycleEvent> events = env.events(session);
            assertThat(events).filteredOn(e -> e.type() == EventType.SESSION_COMPLETED).singleElement()
                    .satisfies(e -> assertThat(e.source()).isEqualTo("trainer"));
            assertThat(events.get(events.size() - 1).type()).isEqualTo(EventType.SESSION_COMPLETED);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aResumedAttemptSaysWhereItResumedAndAnnouncesOnlyItsOwnCheckpoints(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Path ckpt = tmp.resolve("ckpt");
        Process first = launch(tmp, env.redisUrl(), session, 1, ckpt, null, "--epochs", "0", "--sleep", "0.05");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> env.metrics(session).size() >= 2);
            env.send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "r-pause"));
            assertThat(first.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(first.exitValue()).as(output(tmp)).isEqualTo(PAUSED);
        } finally {
            first.destroyForcibly();
        }
        LifecycleEvent paused = lastCheckpoint(session);
        long resumedAt = paused.checkpoint().step();

        String cursor = env.redis().xrevrange(Streams.control(session), "+", "-", 1).get(0).getID().toString();
        Process second = launch(tmp, env.redisUrl(), session, 2, ckpt, cursor, "--epochs", String.valueOf(resumedAt / 64 + 3),
                "--sleep", "0.01", "--resume", paused.checkpoint().path());
        try {
            assertThat(second.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(second.exitValue()).as(output(tmp)).isZero();
        } finally {
            second.destroyForcibly();
        }
        List<LifecycleEvent> attempt2 = env.events(session).stream().filter(e -> Integer.valueOf(2).equals(e.attempt())).toList();
        assertThat(attempt2.get(0).type()).isEqualTo(EventType.SESSION_STARTED);
        assertThat(attempt2.get(0).reason()).isEqualTo("resumed at step " + resumedAt);
        assertThat(attempt2).filteredOn(e -> e.type() == EventType.CHECKPOINT_SAVED)
                .extracting(e -> e.checkpoint().path()).doesNotContain(paused.checkpoint().path())
                .doesNotHaveDuplicates().isNotEmpty();
        assertThat(attempt2).filteredOn(e -> e.type() == EventType.SESSION_COMPLETED).hasSize(1);
    }

    /**
     * Keisei's own evaluation (its EvaluationCallback calling evaluation_manager.evaluate_current_agent, then its Elo
     * snapshot) is published as keisei/eval/* at the step it ran at, the random opponent's also under the built-in
     * trainer's eval/* names, and recorded in the metadata of the checkpoints saved at or after it.
     */
    @Test
    void keiseisOwnEvaluationIsPublishedAtItsStepAndRecordedInTheCheckpointMetadata(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Process p = launch(tmp, env.redisUrl(), session, 1, tmp.resolve("ckpt"), null, "--epochs", "6", "--sleep", "0.01",
                "--checkpoint-interval", "128", "--eval-interval", "128");
        try {
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isZero();
        } finally {
            p.destroyForcibly();
        }
        List<MetricUpdate> updates = env.metrics(session);
        assertThat(updates).extracting(MetricUpdate::step).as("never a step after a later one").isSorted();
        assertThat(updates).allSatisfy(m -> assertThat(m.metrics().keySet()).allMatch(MetricNames::isValid));
        List<MetricUpdate> evaluations = evaluations(updates);
        assertThat(evaluations).extracting(MetricUpdate::step).containsExactly(128L, 256L);

        double[] elo = {1500, 1500};
        for (int k = 1; k <= 2; k++) {
            Map<String, Double> m = evaluations.get(k - 1).metrics();
            int wins = Math.min(9, k + 2);
            Map<String, Double> expected = new LinkedHashMap<>();
            expected.put(MetricNames.KEISEI_EVAL_WIN_RATE, wins / 10.0);
            expected.put(MetricNames.KEISEI_EVAL_DRAW_RATE, 0.1);
            expected.put(MetricNames.KEISEI_EVAL_LOSS_RATE, (9 - wins) / 10.0);
            expected.put(MetricNames.KEISEI_EVAL_GAMES, 10.0);
            expected.put(MetricNames.KEISEI_EVAL_AVG_GAME_LENGTH, 44.5);
            expected.put(MetricNames.keiseiEvalWinRateVs("random"), wins / 10.0);
            // every game against the random player: the built-in trainer's names as well
            expected.put(MetricNames.EVAL_WIN_RATE_VS_RANDOM, wins / 10.0);
            expected.put(MetricNames.EVAL_DRAW_RATE, 0.1);
            expected.put(MetricNames.EVAL_GAMES, 10.0);
            updateElo(elo, wins, 1);
            expected.put(MetricNames.KEISEI_EVAL_ELO, elo[0]);
            expected.put(MetricNames.KEISEI_EVAL_OPPONENT_ELO, elo[1]);
            assertThat(m.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((name, value) -> assertThat(m.get(name)).as(name).isCloseTo(value, within(1e-9)));
        }
        assertThat(output(tmp)).contains("Keisei's own evaluation at step 128: 10 games, win 0.300",
                "Keisei's own evaluation at step 256: 10 games, win 0.400");

        // The contract still decodes every event; the metadata rides along in checkpoint.metrics.
        assertThat(env.events(session)).filteredOn(e -> e.type() == EventType.CHECKPOINT_SAVED).hasSize(4);
        Map<String, JsonNode> metadata = checkpointMetadata(session);
        assertThat(metadata.keySet()).containsExactly("checkpoint_ts128.pth", "checkpoint_ts256.pth", "checkpoint_ts384.pth",
                "final_model.pth");
        Map<String, Long> evaluatedAt = Map.of("checkpoint_ts128.pth", 128L, "checkpoint_ts256.pth", 256L,
                "checkpoint_ts384.pth", 256L, "final_model.pth", 256L);
        metadata.forEach((file, metrics) -> {
            long at = evaluatedAt.get(file);
            Map<String, Double> evaluation = evaluations.get(at == 128L ? 0 : 1).metrics();
            assertThat(metrics.get(MetricNames.KEISEI_EVAL_STEP).asLong()).as(file).isEqualTo(at);
            assertThat(metrics.get(MetricNames.EVAL_STEP).asLong()).as(file).isEqualTo(at);
            evaluation.forEach((name, value) -> assertThat(metrics.get(name).asDouble()).as("%s %s", file, name)
                    .isCloseTo(value, within(1e-9)));
            assertThat(metrics.has(MetricNames.POLICY_LOSS)).as("%s: the last epoch's metrics too", file).isTrue();
        });
    }

    /**
     * Keisei's async evaluation runs after the step callbacks: its result is published with the next epoch (or at the
     * end of the run), still at the step it ran at. A tournament-like evaluation records each opponent; without the
     * random player only, nothing is published under the built-in trainer's eval/* names.
     */
    @Test
    void anAsyncEvaluationAgainstSeveralOpponentsIsPublishedAtTheStepItRanAt(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Process p = launch(tmp, env.redisUrl(), session, 1, tmp.resolve("ckpt"), null, "--epochs", "7", "--sleep", "0.01",
                "--eval-interval", "128", "--eval-async", "--eval-opponents", "random,heuristic");
        try {
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isZero();
        } finally {
            p.destroyForcibly();
        }
        List<MetricUpdate> updates = env.metrics(session);
        assertThat(updates).extracting(MetricUpdate::step).isSorted();
        List<MetricUpdate> evaluations = evaluations(updates);
        // the one at 384 ran after the last step callback: published when the run finished
        assertThat(evaluations).extracting(MetricUpdate::step).containsExactly(128L, 256L, 384L);
        double[] elo = {1500, 1500};
        for (int k = 1; k <= 3; k++) {
            Map<String, Double> m = evaluations.get(k - 1).metrics();
            int wins = Math.min(9, k + 2);
            // game i is against random when i is even, heuristic when odd; the first `wins` games are won
            assertThat(m.get(MetricNames.keiseiEvalWinRateVs("random"))).isCloseTo(((wins + 1) / 2) / 5.0, within(1e-9));
            assertThat(m.get(MetricNames.keiseiEvalWinRateVs("heuristic"))).isCloseTo((wins / 2) / 5.0, within(1e-9));
            assertThat(m.get(MetricNames.KEISEI_EVAL_WIN_RATE)).isCloseTo(wins / 10.0, within(1e-9));
            updateElo(elo, wins, 1);
            assertThat(m.get(MetricNames.KEISEI_EVAL_ELO)).isCloseTo(elo[0], within(1e-9));
            assertThat(m.get(MetricNames.KEISEI_EVAL_OPPONENT_ELO)).isCloseTo(elo[1], within(1e-9));
            assertThat(m).doesNotContainKeys(MetricNames.EVAL_WIN_RATE_VS_RANDOM, MetricNames.EVAL_DRAW_RATE, MetricNames.EVAL_GAMES);
        }
        assertThat(env.events(session)).filteredOn(e -> e.type() == EventType.SESSION_COMPLETED).hasSize(1);
        JsonNode last = checkpointMetadata(session).get("final_model.pth");
        assertThat(last.get(MetricNames.KEISEI_EVAL_STEP).asLong()).isEqualTo(384L);
        assertThat(last.has(MetricNames.EVAL_STEP)).as("not an evaluation against random only").isFalse();
    }

    /** The README is read where the repository is published: it links nothing outside it, and its templates are valid. */
    @Test
    @Tag(FILES_ONLY)
    void theReadmeLinksOnlyIntoTheRepositoryAndTheTemplatesUseKnownPlaceholders() throws IOException {
        String readme = Files.readString(env.bridgeDir().resolve("README.md"));
        Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(readme);
        while (link.find()) {
            String target = link.group(1);
            assertThat(target).as("a link into the repository").doesNotContain("://");
            Path file = env.bridgeDir().resolve(target.split("#", 2)[0]).normalize();
            assertThat(file.startsWith(env.repoRoot())).as("%s stays in %s", target, env.repoRoot()).isTrue();
            assertThat(file).as(target).exists();
        }
        for (String doc : List.of(readme, Files.readString(env.repoRoot().resolve("docs").resolve("keisei-2025.md")))) {
            List<String> templates = doc.lines().filter(l -> l.contains("train_webui.py train")).toList();
            assertThat(templates).isNotEmpty().allSatisfy(template -> {
                Matcher placeholder = Pattern.compile("\\{([a-z_]+)}").matcher(template);
                while (placeholder.find()) {
                    assertThat(TEMPLATE_PLACEHOLDERS).as(template).contains(placeholder.group(1));
                }
                assertThat(template).as("the resume argument exists on resumed attempts only").contains("{resume_args}")
                        .doesNotContain("--resume {resume}");
            });
        }
    }

    /** Keisei logs and swallows some errors in its loop; a run that ended early by itself is a failure, not a completion. */
    @Test
    void aFailureKeiseiSwallowsExitsOneWithoutCompletion(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, env.redisUrl(), session, 1, ckpt, null, "--epochs", "10", "--sleep", "0.01",
                "--fail-after-epochs", "2");
        try {
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(1);
            assertThat(env.events(session)).extracting(LifecycleEvent::type).doesNotContain(EventType.SESSION_COMPLETED);
            assertThat(lastCheckpoint(session).checkpoint().step()).as("Keisei's clean-up checkpoint, for a resume").isEqualTo(192);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRedisOutageDoesNotStopTrainingAndQueuedMessagesArriveAfterTheRestart(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        RedisServer own = RedisServer.start(null, 0);
        int port = own.port();
        String url = own.url();
        RedisServer restarted = null;
        Process p = launch(tmp, url, session, 1, tmp.resolve("ckpt"), null, "--epochs", "120", "--sleep", "0.05");
        try (JedisPooled before = new JedisPooled(URI.create(url))) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> metrics(before, session).size() >= 5);
            long seenBefore = metrics(before, session).stream().mapToLong(MetricUpdate::step).max().orElseThrow();
            own.close();
            // two epochs logged after the bridge noticed the outage: the second ran wholly without Redis
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> !p.isAlive() || epochsAfterOutage(tmp) >= 2);
            assertThat(p.isAlive()).as("training goes on while Redis is down\n%s", output(tmp)).isTrue();
            restarted = RedisServer.start(null, port);

            assertThat(p.waitFor(40, TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(0);
            assertThat(output(tmp)).contains("unreachable", "reachable again");
            try (JedisPooled after = new JedisPooled(URI.create(url))) {
                List<Long> steps = metrics(after, session).stream().map(MetricUpdate::step).toList();
                assertThat(steps).as("reconnected and delivered what was queued").isNotEmpty();
                assertThat(steps.get(0)).isGreaterThan(seenBefore);
                // As in Keisei, the epoch that reaches total_timesteps ends the loop before the step callbacks.
                assertThat(steps.get(steps.size() - 1)).isEqualTo(119L * 64);
                for (int i = 1; i < steps.size(); i++) {
                    assertThat(steps.get(i) - steps.get(i - 1)).as("no gap in %s", steps).isEqualTo(64L);
                }
                List<StreamEntry> events = after.xrange(Streams.EVENTS, "-", "+");
                assertThat(events).map(e -> StreamCodec.fromEntry(e.getFields(), LifecycleEvent.class))
                        .filteredOn(e -> e.session().equals(session) && e.type() == EventType.SESSION_COMPLETED)
                        .singleElement().satisfies(e -> assertThat(e.state()).isEqualTo("completed"));
            }
        } finally {
            p.destroyForcibly();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    @Test
    void anUnreachableRedisNeverStopsTraining(@TempDir Path tmp) throws Exception {
        int closedPort = io.keisei.infra.FreePorts.pick();
        Process p = launch(tmp, "redis://:secret@127.0.0.1:" + closedPort, "kb-" + UUID.randomUUID(), 1, tmp.resolve("ckpt"),
                null, "--epochs", "10", "--sleep", "0.01", "--flush-timeout", "0.5");
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(0);
            assertThat(output(tmp)).contains("completed at step 640", "unreachable").doesNotContain("secret", "Traceback");
        } finally {
            p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static Process launch(Path tmp, String redisUrl, String session, int attempt, Path checkpointDir,
                                  String cursor, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", env.bridgeDir().resolve("demo_trainer.py").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("trainer.log").toFile());
        Map<String, String> variables = pb.environment();
        variables.putAll(bridgeVariables(redisUrl, session, attempt, checkpointDir));
        if (cursor != null) {
            variables.put("KEISEI_CONTROL_CURSOR", cursor);
        } else {
            variables.remove("KEISEI_CONTROL_CURSOR");
        }
        return pb.start();
    }

    /** The updates that carry a Keisei evaluation. */
    private static List<MetricUpdate> evaluations(List<MetricUpdate> updates) {
        return updates.stream().filter(m -> m.metrics().containsKey(MetricNames.KEISEI_EVAL_GAMES)).toList();
    }

    /** One step of Keisei's EloRegistry.update_ratings over a 10-game evaluation of `wins` wins and `draws` draws. */
    private static void updateElo(double[] ratings, int wins, int draws) {
        double score = (wins + 0.5 * draws) / 10.0;
        double expected = 1.0 / (1.0 + Math.pow(10.0, (ratings[1] - ratings[0]) / 400.0));
        ratings[0] += 32.0 * (score - expected);
        ratings[1] += 32.0 * ((1 - score) - (1 - expected));
    }

    /** checkpoint.metrics of the session's checkpoint.saved events, by file name, read from the raw JSON on the stream. */
    private static Map<String, JsonNode> checkpointMetadata(String session) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (StreamEntry e : env.redis().xrange(Streams.EVENTS, "-", "+")) {
            JsonNode event = JSON.readTree(e.getFields().get("data"));
            if (session.equals(event.path("session").asText()) && "checkpoint.saved".equals(event.path("type").asText())) {
                JsonNode checkpoint = event.get("checkpoint");
                JsonNode metrics = checkpoint.path("metrics");
                assertThat(metrics.isObject()).as("checkpoint.metrics of %s", checkpoint).isTrue();
                metrics.properties().forEach(m -> assertThat(m.getValue().isNumber()).as(m.getKey()).isTrue());
                out.put(Path.of(checkpoint.get("path").asText()).getFileName().toString(), metrics);
            }
        }
        return out;
    }

    /** Epochs the stand-in trainer has logged since the bridge logged that Redis is unreachable. */
    private static long epochsAfterOutage(Path tmp) {
        String log = output(tmp);
        int outage = log.indexOf("unreachable");
        return outage < 0 ? 0 : log.substring(outage).lines().filter(l -> l.startsWith("step ")).count();
    }

    private static String output(Path tmp) {
        return log(tmp.resolve("trainer.log"));
    }

    private static LifecycleEvent lastCheckpoint(String session) {
        List<LifecycleEvent> saved = env.events(session).stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
        assertThat(saved).as("checkpoint.saved events").isNotEmpty();
        return saved.get(saved.size() - 1);
    }

    /** The checkpoint Keisei's interrupt clean-up writes: {model_dir}/checkpoint_ts{step}.pth, announced with its own digest. */
    private static void assertKeiseisFinalCheckpoint(LifecycleEvent saved, Path modelDir) throws Exception {
        Path file = Path.of(saved.checkpoint().path());
        assertThat(file.getParent()).isEqualTo(modelDir.toAbsolutePath());
        assertThat(file.getFileName().toString()).isEqualTo("checkpoint_ts" + saved.checkpoint().step() + ".pth");
        assertThat(Files.size(file)).isEqualTo(saved.checkpoint().sizeBytes());
        assertThat(sha256(file)).isEqualTo(saved.checkpoint().sha256());
    }
}
