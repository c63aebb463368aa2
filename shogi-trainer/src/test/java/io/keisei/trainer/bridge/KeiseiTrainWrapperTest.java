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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.resps.StreamEntry;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.keisei.trainer.bridge.PythonBridgeEnvironment.bridgeVariables;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.kill;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.log;
import static io.keisei.trainer.bridge.PythonBridgeEnvironment.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The wrapper for today's Keisei ({@code examples/keisei-bridge/keisei_train_webui.py}, run by the
 * system {@code python3}) against a real Redis, everything it publishes decoded with the Java
 * {@link StreamCodec}.
 *
 * <p>Today's Keisei (keisei-train 2026: a Rust engine, PyTorch) cannot be built here, so what stands in
 * for it is a <b>file-format fixture, not a fake trainer</b>: {@code keisei-2026/keisei_db_writer.py}
 * applies Keisei's exact DDL ({@code keisei-2026/keisei_schema.sql}, from Keisei's
 * {@code keisei/db/*.py} at 08747e1) and then writes rows step by step, on this test's commands, the way
 * Keisei writes them: one connection per write in WAL mode, the epoch summary as one transaction followed
 * by a TRUNCATE checkpoint of the WAL, live games by INSERT OR REPLACE, heartbeats as UPDATEs, a checkpoint
 * file written to a temp file and renamed before its path is recorded, and a writer SIGKILLed in the middle
 * of a transaction. It trains nothing and knows no Shogi. The process the wrapper launches as
 * "keisei-train" is a plain {@code python3 -c} stand-in for process control only: it records the signals it
 * gets and exits when told to. The wrapper's logic under test is its production logic; only its child command
 * ({@code --keisei-train}) differs.
 */
class KeiseiTrainWrapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String NO_PYTHON = "python3 (>= 3.11, for tomllib) not found: skipping the Keisei 2026 wrapper test";
    private static final String START_SFEN = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";
    private static final String AFTER_7G7F = "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2";
    private static final String AFTER_3C3D = "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3";

    /**
     * keisei-train's stand-in, for process control only: appends each SIGINT/SIGTERM it gets to the file
     * named by its last argument (the wrapper passes what follows {@code --} on to keisei-train), exits as
     * an unhandled signal would (except SIGINT when CHILD_IGNORES_SIGINT=1), and exits by itself with the
     * code in {@code <file>.exit} once that file exists. Its arguments go to {@code <file>.argv}, one a line, once its
     * handlers are installed.
     */
    private static final String CHILD = """
            import os, signal, sys, time
            record = sys.argv[-1]
            def on(sig, frame):
                with open(record, "a") as f:
                    f.write(signal.Signals(sig).name + "\\n")
                if sig != signal.SIGINT or os.environ.get("CHILD_IGNORES_SIGINT") != "1":
                    os._exit(128 + sig)
            signal.signal(signal.SIGINT, on)
            signal.signal(signal.SIGTERM, on)
            # written once the handlers are in place (awaitLaunched waits for it), and whole (renamed into place)
            with open(record + ".argv.tmp", "w") as f:
                f.write("\\n".join(sys.argv[1:]))
            os.replace(record + ".argv.tmp", record + ".argv")
            while not os.path.exists(record + ".exit"):
                time.sleep(0.05)
            sys.exit(int(open(record + ".exit").read()))
            """;

    private static PythonBridgeEnvironment env;
    private static Path fixtureDir;

    @BeforeAll
    static void setUp() throws Exception {
        env = PythonBridgeEnvironment.start("3.11", NO_PYTHON, "keisei_train_webui.py", null);
        fixtureDir = Path.of(KeiseiTrainWrapperTest.class.getResource("/keisei-2026/keisei_db_writer.py").toURI()).getParent();
    }

    @AfterAll
    static void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    /** Per test, so that every test is reported as skipped, with the reason. */
    @BeforeEach
    void requirePython() {
        env.assumePython();
    }

    // ------------------------------------------------------------------------------------------
    // Tests
    // ------------------------------------------------------------------------------------------

    /** A fresh run: metrics rows under our names with their steps, the league as metrics, started, heartbeat. */
    @Test
    void relaysAFreshRunsMetricsLeagueStartAndHeartbeat(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of(), "--heartbeat-stale-seconds", "3");
        try (DbWriter db = run.writer()) {
            run.awaitLaunched();
            db.send("init");
            db.send("fresh_start");
            LifecycleEvent started = await().atMost(WAIT).until(() -> run.event(EventType.SESSION_STARTED), e -> e != null);
            assertThat(started.state()).isEqualTo("running");
            assertThat(started.reason()).as("a fresh run is not a resume").isNull();
            assertThat(started.attempt()).isEqualTo(1);
            assertThat(started.source()).isEqualTo("trainer");
            assertThat(env.redis().ttl(Streams.heartbeat(run.session))).isBetween(1L, 10L);

            db.send("epoch", "epoch", 0, "step", 100, "metrics", Map.ofEntries(Map.entry("policy_loss", 1.25),
                    Map.entry("value_loss", 0.75), Map.entry("entropy", 2.5), Map.entry("win_rate", 0.5),
                    Map.entry("loss_rate", 0.25), Map.entry("black_win_rate", 0.5), Map.entry("white_win_rate", 0.3),
                    Map.entry("draw_rate", 0.2), Map.entry("truncation_rate", 0.1), Map.entry("avg_episode_length", 88.0),
                    Map.entry("gradient_norm", 0.9), Map.entry("episodes_completed", 10)));
            db.send("epoch", "epoch", 1, "step", 200, "metrics", Map.of("policy_loss", 1.0, "episodes_completed", 6));
            int learner = db.send("league_entry", "display_name", "Musashi e2").get("id").asInt();
            int rival = db.send("league_entry", "display_name", "Kojiro (frontier)").get("id").asInt();
            db.send("learner", "entry_id", learner);
            db.send("elo", "entry_id", learner, "epoch", 1, "elo", 1016.0);
            db.send("elo", "entry_id", rival, "epoch", 1, "elo", 984.0);
            db.send("league_result", "epoch", 1, "a", learner, "b", rival, "num_games", 10, "wins_a", 6, "wins_b", 3, "draws", 1);

            await().atMost(WAIT).until(() -> leagueMetrics(run.session).containsKey("league/games"));
            List<MetricUpdate> epochs = run.metrics().stream().filter(m -> m.metrics().containsKey("keisei/epoch")).toList();
            assertThat(epochs).extracting(MetricUpdate::step).containsExactly(100L, 200L);
            assertThat(epochs).allSatisfy(m -> assertThat(m.attempt()).isEqualTo(1));
            assertThat(epochs.get(0).metrics()).isEqualTo(Map.ofEntries(Map.entry(MetricNames.POLICY_LOSS, 1.25),
                    Map.entry(MetricNames.VALUE_LOSS, 0.75), Map.entry(MetricNames.ENTROPY, 2.5),
                    Map.entry(MetricNames.GRADIENT_NORM, 0.9), Map.entry(MetricNames.BLACK_WIN_RATE, 0.5),
                    Map.entry(MetricNames.WHITE_WIN_RATE, 0.3), Map.entry(MetricNames.DRAW_RATE, 0.2),
                    Map.entry(MetricNames.EPISODE_LENGTH_MEAN, 88.0), Map.entry(MetricNames.EPISODES_COMPLETED, 10.0),
                    Map.entry("keisei/epoch", 0.0), Map.entry("keisei/win_rate", 0.5), Map.entry("keisei/loss_rate", 0.25),
                    Map.entry("keisei/truncation_rate", 0.1), Map.entry("keisei/episodes_completed", 10.0)));
            assertThat(epochs.get(1).metrics()).as("NULL columns are left out; our episode count is a running total")
                    .containsEntry(MetricNames.POLICY_LOSS, 1.0).containsEntry("keisei/episodes_completed", 6.0)
                    .containsEntry(MetricNames.EPISODES_COMPLETED, 16.0).doesNotContainKeys("keisei/win_rate", MetricNames.VALUE_LOSS);

            Map<String, Double> league = leagueMetrics(run.session);
            assertThat(league).containsEntry("league/elo/" + learner + "-Musashi_e2", 1016.0)
                    .containsEntry("league/elo/" + rival + "-Kojiro_frontier", 984.0)
                    .containsEntry("league/learner_elo", 1016.0).containsEntry("league/matches", 1.0)
                    .containsEntry("league/games", 10.0).containsEntry("league/learner_win_rate", 0.6)
                    .containsEntry("league/entries_active", 2.0);
            assertThat(run.metrics().stream().filter(m -> m.metrics().keySet().stream().anyMatch(n -> n.startsWith("league/elo/"))))
                    .as("ratings of epoch 1 are at epoch 1's training step").extracting(MetricUpdate::step).containsOnly(200L);

            // Keisei's heartbeat_at goes stale (no write for > 3 s + its 1 s resolution): ours stops; it comes back with Keisei's.
            await().atMost(WAIT).until(() -> !env.redis().exists(Streams.heartbeat(run.session)));
            assertThat(w.isAlive()).isTrue();
            db.send("heartbeat", "epoch", 2, "step", 200, "phase", "rollout");
            await().atMost(WAIT).until(() -> env.redis().exists(Streams.heartbeat(run.session)));

            run.send(ControlCommand.Type.CHECKPOINT_NOW);
            await().atMost(WAIT).until(() -> run.output().contains("cannot be asked for a checkpoint"));
            assertThat(run.output()).contains("every 2 epochs", "none was saved yet");
            assertThat(run.events()).extracting(LifecycleEvent::type).containsExactly(EventType.SESSION_STARTED);

            run.send(ControlCommand.Type.STOP);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isZero();
        } finally {
            kill(w);
        }
    }

    /** game_snapshots: INSERT OR REPLACE of every game at once, published per changed row within the games rate. */
    @Test
    void publishesChangedGameSnapshotsAtMostAtTheGamesRate(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of(), "--games-per-second", "4");
        try (DbWriter db = run.writer()) {
            run.awaitLaunched();
            db.send("init");
            db.send("fresh_start");
            List<Map<String, Object>> round1 = new ArrayList<>();
            List<Map<String, Object>> round2 = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                round1.add(game(g, AFTER_7G7F, "white", 1, List.of("7g7f"), false, "in_progress"));
                round2.add(game(g, AFTER_3C3D, "black", 2, List.of("7g7f", "3c3d"), false, "in_progress"));
            }
            round2.set(5, game(5, AFTER_3C3D, "white", 2, List.of("7g7f", "3c3d"), true, "checkmate"));
            Map<String, Object> noUsi = game(6, AFTER_3C3D, "black", 2, List.of("7g7f", "3c3d"), false, "in_progress");
            noUsi.put("with_usi", false); // the single-game spectator env records Hodges notation only
            round2.set(6, noUsi);
            db.send("snapshots", "games", round1);
            db.send("snapshots", "games", round2);

            await().atMost(WAIT).until(() -> latestGames(run.session).values().stream().filter(g -> g.ply() == 2).count() == 8);
            Map<String, GameState> latest = latestGames(run.session);
            assertThat(latest.keySet()).containsExactlyInAnyOrder("keisei-0", "keisei-1", "keisei-2", "keisei-3", "keisei-4",
                    "keisei-5", "keisei-6", "keisei-7");
            GameState g0 = latest.get("keisei-0");
            assertThat(g0.sfen()).isEqualTo(AFTER_3C3D);
            assertThat(g0.sideToMove()).isEqualTo("black");
            assertThat(g0.moves()).containsExactly("7g7f", "3c3d");
            assertThat(g0.lastMove()).isEqualTo("3c3d");
            assertThat(g0.result()).isNull();
            assertThat(latest.get("keisei-5").result()).as("white to move and mated").isEqualTo("black_win:checkmate");
            assertThat(latest.get("keisei-6").moves()).as("no USI recorded: no moves").isEmpty();
            assertThat(latest.get("keisei-6").lastMove()).isNull();

            List<StreamEntry> entries = gameEntries(run.session);
            assertThat(entries.size()).as("each game at most once per row version").isLessThanOrEqualTo(16);
            for (int i = 0; i + 4 < entries.size(); i++) {
                assertThat(entries.get(i + 4).getID().getTime() - entries.get(i).getID().getTime())
                        .as("5 game states span at least ~1 s at 4/s (one in reserve)").isGreaterThanOrEqualTo(700L);
            }

            Thread.sleep(1_000);
            assertThat(gameEntries(run.session)).as("nothing changed: nothing published").hasSameSizeAs(entries);
            db.send("snapshots", "games", List.of(game(0, START_SFEN, "black", 0, List.of(), false, "in_progress")));
            await().atMost(WAIT).until(() -> gameEntries(run.session).size() == entries.size() + 1);
            Thread.sleep(500);
            assertThat(gameEntries(run.session)).as("one row changed: one state").hasSize(entries.size() + 1);
            assertThat(latestGames(run.session).get("keisei-0").ply()).as("a new game in slot 0").isZero();

            run.send(ControlCommand.Type.STOP);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isZero();
        } finally {
            kill(w);
        }
    }

    /** A checkpoint renamed into place is announced once with the file's sha256; stop = SIGINT, exit 0, progress lost reported. */
    @Test
    void announcesARenamedCheckpointOnceAndAStopReportsTheProgressLost(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of());
        try (DbWriter db = run.writer()) {
            run.awaitLaunched();
            db.send("init");
            db.send("fresh_start");
            db.send("epoch", "epoch", 0, "step", 100, "metrics", Map.of("policy_loss", 1.0));
            db.send("epoch", "epoch", 1, "step", 200, "metrics", Map.of("policy_loss", 0.9));
            String path = db.send("checkpoint", "dir", run.checkpoints.toString(), "epoch", 1, "step", 200, "size", 200_000,
                    "rename_after", 0.3).get("path").asText();
            db.send("epoch", "epoch", 2, "step", 300, "metrics", Map.of("policy_loss", 0.8));
            db.send("heartbeat", "epoch", 3, "step", 350, "phase", "rollout");

            await().atMost(WAIT).until(() -> run.events().stream().anyMatch(e -> e.type() == EventType.CHECKPOINT_SAVED));
            await().atMost(WAIT).until(() -> run.metrics().stream().anyMatch(m -> m.step() == 300));
            Thread.sleep(500);
            List<LifecycleEvent> saved = run.events(EventType.CHECKPOINT_SAVED);
            assertThat(saved).as("announced once").hasSize(1);
            LifecycleEvent e = saved.get(0);
            assertThat(e.checkpoint().path()).isEqualTo(path).endsWith("epoch_00001.pt");
            assertThat(e.checkpoint().step()).as("the step of epoch 1's metrics row").isEqualTo(200);
            assertThat(e.checkpoint().sizeBytes()).isEqualTo(200_000L).isEqualTo(Files.size(Path.of(path)));
            assertThat(e.checkpoint().sha256()).isEqualTo(sha256(Path.of(path)));
            assertThat(e.attempt()).isEqualTo(1);

            run.send(ControlCommand.Type.STOP);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isZero();
            assertThat(run.childSignals()).as("Keisei ends on SIGINT (KeyboardInterrupt)").containsExactly("SIGINT");
            assertThat(run.childArguments()).as("[run].default_epochs, as Keisei's run.sh passes it; then what follows --")
                    .containsExactly("--epochs", "12", run.signals.toString());
            LifecycleEvent report = run.event(EventType.SESSION_STOPPING);
            assertThat(report.state()).isEqualTo("stopping");
            assertThat(report.reason()).isEqualTo("stopped at step 350; last checkpoint at step 200: 150 steps will be redone on resume");
            assertThat(run.events(EventType.CHECKPOINT_SAVED)).hasSize(1);
            assertThat(run.output()).contains("150 steps will be redone on resume");
            assertThat(env.redis().exists(Streams.heartbeat(run.session))).as("heartbeat removed at exit").isFalse();
        } finally {
            kill(w);
        }
    }

    /**
     * A second attempt on the same database, left by a writer killed mid-transaction: "resumed at step N", only new rows
     * published, keisei-train given the epochs left, pause exits 10.
     */
    @Test
    void aResumedRunPublishesOnlyItsOwnRowsAndPausesWithTen(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        try (DbWriter db = run.writer()) {
            // Attempt 1 (not watched): epochs 0-2, a checkpoint after epoch 1, killed during epoch 3.
            db.send("init");
            db.send("fresh_start");
            db.send("epoch", "epoch", 0, "step", 100, "metrics", Map.of("policy_loss", 1.0, "episodes_completed", 4));
            db.send("epoch", "epoch", 1, "step", 200, "metrics", Map.of("policy_loss", 0.9, "episodes_completed", 5));
            db.send("checkpoint", "dir", run.checkpoints.toString(), "epoch", 1, "step", 200);
            db.send("epoch", "epoch", 2, "step", 300, "metrics", Map.of("policy_loss", 0.8, "episodes_completed", 6));
            db.send("heartbeat", "epoch", 3, "step", 350, "phase", "rollout");
            db.send("snapshots", "games", List.of(game(0, AFTER_7G7F, "white", 1, List.of("7g7f"), false, "in_progress")));
            try (DbWriter killed = run.writer()) { // attempt 1's Keisei died in the middle of a write
                killed.send("hang_in_transaction", "epoch", 3, "step", 301, "rows", 500);
                killed.kill();
            }

            Process w = run.launch(Map.of("KEISEI_ATTEMPT", "2"));
            try {
                run.awaitLaunched();
                // keisei-train resumes from training_state.checkpoint_path: epoch 2, step 200; its row is not rewritten.
                db.send("heartbeat", "epoch", 2, "step", 200, "phase", "rollout");
                LifecycleEvent started = await().atMost(WAIT).until(() -> run.event(EventType.SESSION_STARTED), e -> e != null);
                assertThat(started.reason()).isEqualTo("resumed at step 200");
                assertThat(started.attempt()).isEqualTo(2);
                assertThat(run.childArguments()).as("keisei-train counts --epochs from epoch 2: 12 - 2 are left")
                        .startsWith("--epochs", "10");
                db.send("epoch", "epoch", 2, "step", 300, "metrics", Map.of("policy_loss", 0.7, "episodes_completed", 7));
                db.send("epoch", "epoch", 3, "step", 400, "metrics", Map.of("policy_loss", 0.6, "episodes_completed", 8));
                await().atMost(WAIT).until(() -> run.metrics().stream().anyMatch(m -> m.step() == 400));

                List<MetricUpdate> metrics = run.metrics();
                assertThat(metrics).as("attempt 1's rows are not published again; the redone epoch 2 is")
                        .extracting(MetricUpdate::step).containsExactly(300L, 400L);
                assertThat(metrics).allSatisfy(m -> assertThat(m.attempt()).isEqualTo(2));
                assertThat(metrics.get(0).metrics()).as("epochs 0, 1 and the redone 2: 4 + 5 + 7")
                        .containsEntry(MetricNames.EPISODES_COMPLETED, 16.0).containsEntry(MetricNames.POLICY_LOSS, 0.7);
                assertThat(metrics.get(1).metrics()).containsEntry(MetricNames.EPISODES_COMPLETED, 24.0);
                assertThat(run.games()).as("snapshots of attempt 1 did not change").isEmpty();
                assertThat(run.events(EventType.CHECKPOINT_SAVED)).as("the checkpoint resumed from was attempt 1's").isEmpty();

                run.send(ControlCommand.Type.PAUSE);
                assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
                assertThat(w.exitValue()).as(run.output()).isEqualTo(10);
                assertThat(run.event(EventType.SESSION_PAUSING).reason())
                        .isEqualTo("paused at step 400; last checkpoint at step 200: 200 steps will be redone on resume");
                assertThat(run.childSignals()).containsExactly("SIGINT");
            } finally {
                kill(w);
            }
        }
    }

    /** A keisei-train that ignores SIGINT gets SIGTERM half way through the grace, and the wrapper is done inside it. */
    @Test
    void aChildIgnoringSigintIsEscalatedToSigtermWithinTheGrace(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of("KEISEI_STOP_GRACE_SECONDS", "4", "CHILD_IGNORES_SIGINT", "1"));
        try {
            run.awaitLaunched();
            long sent = System.nanoTime();
            run.send(ControlCommand.Type.STOP);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            double seconds = (System.nanoTime() - sent) / 1e9;
            assertThat(w.exitValue()).as(run.output()).isZero();
            assertThat(run.childSignals()).containsExactly("SIGINT", "SIGTERM");
            assertThat(seconds).as("SIGTERM after half of the 4 s grace; all done well inside it").isBetween(1.8, 3.5);
            assertThat(run.event(EventType.SESSION_STOPPING).reason())
                    .isEqualTo("stopped at step 0; no checkpoint yet: the run starts again from step 0 on resume");
        } finally {
            kill(w);
        }
    }

    /** keisei-train exiting 0 by itself: the last rows, then exactly one session.completed, exit 0. */
    @Test
    void aChildExitingZeroCompletesTheSessionOnce(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of());
        try (DbWriter db = run.writer()) {
            run.awaitLaunched();
            db.send("init");
            db.send("fresh_start");
            db.send("epoch", "epoch", 0, "step", 100, "metrics", Map.of("policy_loss", 1.0));
            db.send("epoch", "epoch", 1, "step", 200, "metrics", Map.of("policy_loss", 0.9));
            run.childExits(0);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isZero();
            assertThat(run.metrics()).extracting(MetricUpdate::step).containsExactly(100L, 200L);
            assertThat(run.events(EventType.SESSION_COMPLETED)).hasSize(1);
            assertThat(run.event(EventType.SESSION_COMPLETED).state()).isEqualTo("completed");
            assertThat(run.events(EventType.SESSION_STARTED)).hasSize(1);
            assertThat(run.childSignals()).isEmpty();
        } finally {
            kill(w);
        }
    }

    /** keisei-train failing by itself: exit 1 with its code on stderr, no completion. */
    @Test
    void aChildFailingByItselfFailsTheWrapperWithItsCode(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        run.childExits(3);
        Process w = run.launch(Map.of());
        try {
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("keisei-train exited with code 3");
            assertThat(run.events(EventType.SESSION_COMPLETED)).isEmpty();
        } finally {
            kill(w);
        }
    }

    /** The writer SIGKILLed mid-transaction: nothing of it is seen, the wrapper goes on, a new writer's rows arrive. */
    @Test
    void keepsTailingAfterAWriterIsKilledMidTransaction(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of());
        try (DbWriter first = run.writer()) {
            run.awaitLaunched();
            first.send("init");
            first.send("fresh_start");
            first.send("epoch", "epoch", 0, "step", 100, "metrics", Map.of("policy_loss", 1.0));
            await().atMost(WAIT).until(() -> run.metrics().stream().anyMatch(m -> m.step() == 100));

            try (DbWriter killed = run.writer()) {
                JsonNode hung = killed.send("hang_in_transaction", "epoch", 9, "step", 900, "rows", 2000,
                        "checkpoint_path", run.checkpoints.resolve("epoch_00009.pt").toString());
                assertThat(hung.get("walBytes").asLong()).as("uncommitted pages spilled into the WAL").isPositive();
                killed.kill();
            }
            Files.createDirectories(run.checkpoints);
            Files.writeString(run.checkpoints.resolve("epoch_00009.pt"), "the killed transaction recorded this path");
            Thread.sleep(700);
            assertThat(w.isAlive()).as(run.output()).isTrue();

            try (DbWriter next = run.writer()) {
                next.send("heartbeat", "epoch", 1, "step", 100, "phase", "rollout");
                next.send("epoch", "epoch", 1, "step", 200, "metrics", Map.of("policy_loss", 0.9));
                next.send("checkpoint", "dir", run.checkpoints.toString(), "epoch", 1, "step", 200);
                await().atMost(WAIT).until(() -> run.events().stream().anyMatch(e -> e.type() == EventType.CHECKPOINT_SAVED));
            }
            assertThat(run.metrics()).as("the killed transaction's 2000 rows never show").extracting(MetricUpdate::step)
                    .containsExactly(100L, 200L);
            assertThat(run.events(EventType.CHECKPOINT_SAVED)).singleElement()
                    .satisfies(e -> assertThat(e.checkpoint().path()).endsWith("epoch_00001.pt"));
            assertThat(w.isAlive()).as(run.output()).isTrue();

            run.send(ControlCommand.Type.STOP);
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isZero();
        } finally {
            kill(w);
        }
    }

    /** SIGTERM to the wrapper (the kill after the grace, the kubelet) goes to keisei-train; the wrapper ends promptly. */
    @Test
    void aSigtermToTheWrapperIsForwardedAndItExitsPromptly(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Process w = run.launch(Map.of());
        try {
            run.awaitLaunched();
            long sent = System.nanoTime();
            w.destroy(); // SIGTERM
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat((System.nanoTime() - sent) / 1e9).isLessThan(2.5);
            assertThat(w.exitValue()).as("not a requested stop: 128 + SIGTERM, the session fails resumably").isEqualTo(143);
            assertThat(run.childSignals()).containsExactly("SIGTERM");
            assertThat(run.output()).contains("terminated by SIGTERM at step 0");
        } finally {
            kill(w);
        }
    }

    /**
     * Keisei's own config loader rejects the config: exit 1 with Keisei's message, keisei-train never started.
     * Today's Keisei needs PyTorch and its Rust engine, which cannot be installed here, so ONLY this test puts a
     * stand-in {@code keisei} package (keisei-2026/fake-keisei) on PYTHONPATH, whose {@code keisei.config.load_config}
     * raises the ValueError Keisei raises for unknown keys.
     */
    @Test
    void keiseisConfigLoaderRejectingTheConfigFailsFastWithItsMessage(@TempDir Path tmp) throws Exception {
        Run run = new Run(tmp);
        Files.writeString(run.config, Files.readString(run.config).replace("checkpoint_interval = 2", "checkpoint_interval = 2\nbogus_key = 1"));
        Process w = run.launch(Map.of("PYTHONPATH", fixtureDir.resolve("fake-keisei").toString()));
        try {
            assertThat(w.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(run.output()).isTrue();
            assertThat(w.exitValue()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("Keisei rejected " + run.config, "Unknown [training] config keys: ['bogus_key']")
                    .doesNotContain("started ");
            assertThat(run.events()).isEmpty();
        } finally {
            kill(w);
        }
    }

    // ------------------------------------------------------------------------------------------
    // One wrapper run: its files, its session, its process
    // ------------------------------------------------------------------------------------------

    private static final class Run {
        final String session = "k26-" + UUID.randomUUID();
        final Path tmp;
        final Path db;
        final Path checkpoints;
        final Path config;
        final Path signals;

        Run(Path tmp) throws IOException {
            this.tmp = tmp;
            this.db = tmp.resolve("data").resolve("keisei.db");
            this.checkpoints = tmp.resolve("checkpoints");
            this.config = tmp.resolve("keisei.toml");
            this.signals = tmp.resolve("child-signals.txt");
            Files.createDirectories(db.getParent());
            // As training-service writes it: absolute, server-chosen db_path and checkpoint_dir.
            Files.writeString(config, """
                    [model]
                    display_name = "Musashi"
                    architecture = "se_resnet"

                    [training]
                    checkpoint_interval = 2
                    checkpoint_dir = "%s"

                    [display]
                    db_path = "%s"

                    [run]
                    default_epochs = 12
                    """.formatted(checkpoints, db));
        }

        Process launch(Map<String, String> variables, String... options) throws IOException {
            List<String> command = new ArrayList<>(List.of("python3", env.bridgeDir().resolve("keisei_train_webui.py").toString(),
                    config.toString(), "--poll-seconds", "0.1", "--keisei-train", "python3 -c '" + CHILD + "'"));
            command.addAll(List.of(options));
            command.addAll(List.of("--", signals.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("wrapper.log").toFile());
            Map<String, String> e = pb.environment();
            e.keySet().removeIf(k -> k.startsWith("KEISEI_") || k.equals("PYTHONPATH") || k.equals("CHILD_IGNORES_SIGINT"));
            e.putAll(bridgeVariables(env.redisUrl(), session, 1, checkpoints));
            e.put("KEISEI_CONFIG_FILE", config.toString());
            e.put("KEISEI_STOP_GRACE_SECONDS", "10");
            e.putAll(variables);
            return pb.start();
        }

        /**
         * keisei-train is launched only after the wrapper has read the database as it was before; and its stand-in is
         * ready for signals (a signal before that would end it unrecorded).
         */
        void awaitLaunched() {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                    .until(() -> output().contains("started ") && Files.exists(Path.of(signals + ".argv")));
        }

        DbWriter writer() throws IOException {
            return new DbWriter(db, tmp.resolve("writer.log"));
        }

        void send(ControlCommand.Type type) {
            env.send(ControlCommand.of(type, session, "r-" + type.wire()));
        }

        void childExits(int code) throws IOException {
            Path staged = tmp.resolve("exit.staged");
            Files.writeString(staged, String.valueOf(code));
            Files.move(staged, Path.of(signals + ".exit"), StandardCopyOption.ATOMIC_MOVE);
        }

        /** What keisei-train was started with after the config, e.g. [--epochs, 12, <signals file>]. */
        List<String> childArguments() throws IOException {
            List<String> lines = Files.readAllLines(Path.of(signals + ".argv"));
            assertThat(lines.get(0)).isEqualTo(config.toString());
            return lines.subList(1, lines.size());
        }

        List<String> childSignals() throws IOException {
            return Files.exists(signals) ? Files.readAllLines(signals) : List.of();
        }

        String output() {
            return log(tmp.resolve("wrapper.log"));
        }

        List<MetricUpdate> metrics() {
            return env.metrics(session);
        }

        List<GameState> games() {
            return env.games(session);
        }

        List<LifecycleEvent> events() {
            return env.events(session);
        }

        List<LifecycleEvent> events(EventType type) {
            return events().stream().filter(e -> e.type() == type).toList();
        }

        /** The last event of the type, or null. */
        LifecycleEvent event(EventType type) {
            List<LifecycleEvent> found = events(type);
            return found.isEmpty() ? null : found.get(found.size() - 1);
        }
    }

    /** The fixture writer process: commands as JSON lines on stdin, one JSON answer line each. */
    private static final class DbWriter implements AutoCloseable {
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        DbWriter(Path db, Path log) throws IOException {
            process = new ProcessBuilder("python3", fixtureDir.resolve("keisei_db_writer.py").toString(), db.toString())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        JsonNode send(String op, Object... keysAndValues) throws Exception {
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("op", op);
            for (int i = 0; i < keysAndValues.length; i += 2) {
                command.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
            in.write(JSON.writeValueAsString(command));
            in.newLine();
            in.flush();
            String line = CompletableFuture.supplyAsync(this::readLine).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("the writer answered %s", op).isNotNull();
            JsonNode reply = JSON.readTree(line);
            assertThat(reply.has("error")).as("%s: %s", op, line).isFalse();
            return reply;
        }

        private String readLine() {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }

        /** SIGKILL, wherever the writer is (mid-transaction for hang_in_transaction). */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                try {
                    in.write("{\"op\": \"exit\"}\n");
                    in.flush();
                } catch (IOException ignored) {
                    // already gone
                }
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------

    private static Map<String, Object> game(int id, String sfen, String sideToMove, int ply, List<String> moves, boolean over,
                                            String result) {
        Map<String, Object> g = new HashMap<>();
        g.put("game_id", id);
        g.put("sfen", sfen);
        g.put("current_player", sideToMove);
        g.put("ply", ply);
        g.put("moves", moves);
        g.put("is_over", over);
        g.put("result", result);
        return g;
    }

    /** Every league/* metric of the session: its newest value. */
    private static Map<String, Double> leagueMetrics(String session) {
        Map<String, Double> out = new LinkedHashMap<>();
        env.metrics(session).forEach(m -> m.metrics().forEach((k, v) -> {
            if (k.startsWith("league/")) {
                out.put(k, v);
            }
        }));
        return out;
    }

    private static Map<String, GameState> latestGames(String session) {
        return env.games(session).stream()
                .collect(Collectors.toMap(GameState::gameId, g -> g, (a, b) -> b, LinkedHashMap::new));
    }

    private static List<StreamEntry> gameEntries(String session) {
        return env.redis().xrange(Streams.GAMES, "-", "+").stream()
                .filter(e -> StreamCodec.fromEntry(e.getFields(), GameState.class).session().equals(session)).toList();
    }
}
