package io.keisei.trainer.run;

import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.infra.RedisServer;
import io.keisei.trainer.TrainCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The train command against a real Redis: protocol messages, checkpoints, control, failures. */
class TrainCommandTest {

    private static RedisServer server;
    private static JedisPooled redis;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start(null, 0);
        redis = new JedisPooled(URI.create(server.url()));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
        server.close();
    }

    static final String TINY = """
            {"env": {"seed": 7, "max_moves_per_game": 40},
             "training": {"total_timesteps": %d, "steps_per_epoch": 64, "minibatch_size": 32, "ppo_epochs": 1,
                          "tower_width": 16, "tower_depth": 1, "learning_rate": 0.001,
                          "checkpoint_interval_timesteps": 128, "evaluation_interval_timesteps": 128},
             "evaluation": {"num_games": 2, "max_moves_per_game": 40}}""";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int train(String session, int attempt, Path config, Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("--session", session, "--attempt", String.valueOf(attempt),
                "--redis", server.url(), "--config", config.toString(), "--checkpoint-dir", dir.toString()));
        args.addAll(List.of(extra));
        return new TrainCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("KEISEI_TRAINER_REDIS_RETRY_SECONDS", "2", "KEISEI_TRAINER_HEARTBEAT_TTL_SECONDS", "3"))
                .run(args);
    }

    @Test
    void aCompleteRunPublishesMetricsGamesEventsAndVerifiableCheckpoints(@TempDir Path tmp) throws Exception {
        String session = "s-" + UUID.randomUUID();
        Path config = Files.writeString(tmp.resolve("config.json"), TINY.formatted(256));
        int code = train(session, 1, config, tmp.resolve("ckpt"));
        assertThat(code).as(err.toString()).isEqualTo(TrainerExitCodes.OK);

        List<MetricUpdate> metrics = read(Streams.METRICS, MetricUpdate.class).stream().filter(m -> m.session().equals(session)).toList();
        assertThat(metrics).extracting(MetricUpdate::step).contains(64L, 128L, 192L, 256L);
        assertThat(metrics.stream().filter(m -> m.step() == 64).findFirst().orElseThrow().metrics())
                .containsKeys(MetricNames.POLICY_LOSS, MetricNames.VALUE_LOSS, MetricNames.ENTROPY, MetricNames.LEARNING_RATE,
                        MetricNames.STEPS_PER_SECOND);
        assertThat(metrics).filteredOn(m -> m.metrics().containsKey(MetricNames.EVAL_WIN_RATE_VS_RANDOM))
                .extracting(MetricUpdate::step).contains(0L, 128L, 256L);

        List<LifecycleEvent> events = read(Streams.EVENTS, LifecycleEvent.class).stream().filter(e -> e.session().equals(session)).toList();
        assertThat(events.get(0).type()).isEqualTo(EventType.SESSION_STARTED);
        assertThat(events.get(events.size() - 1).type()).isEqualTo(EventType.SESSION_COMPLETED);
        List<LifecycleEvent> saved = events.stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
        assertThat(saved).extracting(e -> e.checkpoint().step()).contains(128L, 256L);
        for (LifecycleEvent e : saved) {
            Path file = Path.of(e.checkpoint().path());
            assertThat(Files.size(file)).isEqualTo(e.checkpoint().sizeBytes());
            assertThat(CheckpointFile.sha256Of(file)).isEqualTo(e.checkpoint().sha256());
            try (CheckpointFile.Opened opened = CheckpointFile.open(file)) {
                assertThat(opened.step()).isEqualTo(e.checkpoint().step());
                assertThat(opened.header().at("/config/training/tower_width").asInt()).isEqualTo(16);
                assertThat(opened.header().at("/architecture/tower_depth").asInt()).isEqualTo(1);
                // Every checkpoint carries the latest evaluation (here: the one of its own step) in its metrics.
                var recorded = opened.header().path("metrics");
                assertThat(recorded.path(MetricNames.EVAL_WIN_RATE_VS_RANDOM).isNumber()).as(recorded.toString()).isTrue();
                assertThat(recorded.path(MetricNames.EVAL_GAMES).asDouble()).as(recorded.toString()).isEqualTo(2.0);
                assertThat(recorded.path(MetricNames.EVAL_DRAW_RATE).isNumber()).as(recorded.toString()).isTrue();
                assertThat(recorded.path(MetricNames.EVAL_STEP).asLong(-1)).as(recorded.toString()).isEqualTo(e.checkpoint().step());
                assertThat(recorded.path(MetricNames.POLICY_LOSS).isNumber()).as(recorded.toString()).isTrue();
            }
        }
        try (var files = Files.list(tmp.resolve("ckpt"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        List<GameState> games = read(Streams.GAMES, GameState.class).stream().filter(g -> g.session().equals(session)).toList();
        assertThat(games).isNotEmpty();
        assertThat(games).anyMatch(g -> g.result() != null);
        assertThat(redis.exists(Streams.heartbeat(session))).as("heartbeat removed at exit").isFalse();
    }

    @Test
    void stopCheckpointsAndAResumeContinuesAtTheSavedStep(@TempDir Path tmp) throws Exception {
        String session = "s-" + UUID.randomUUID();
        // Evaluated once, at step 0: the resumed attempt's checkpoints carry that evaluation on.
        Path config = Files.writeString(tmp.resolve("config.json"), TINY.formatted(100_000)
                .replace("\"evaluation_interval_timesteps\": 128", "\"evaluation_interval_timesteps\": 1000000"));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> train(session, 1, config, tmp.resolve("ckpt")));
        await().atMost(Duration.ofSeconds(60)).until(() -> read(Streams.METRICS, MetricUpdate.class).stream()
                .anyMatch(m -> m.session().equals(session) && m.step() >= 128));
        assertThat(redis.exists(Streams.heartbeat(session))).isTrue();
        send(ControlCommand.of(ControlCommand.Type.STOP, session, "r-1"));
        assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(TrainerExitCodes.OK);

        LifecycleEvent last = lastCheckpoint(session);
        long savedStep = last.checkpoint().step();
        assertThat(savedStep).isGreaterThanOrEqualTo(128);

        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() ->
                train(session, 2, config, tmp.resolve("ckpt"), "--resume", last.checkpoint().path()));
        await().atMost(Duration.ofSeconds(60)).until(() -> read(Streams.METRICS, MetricUpdate.class).stream()
                .anyMatch(m -> m.session().equals(session) && m.attempt() == 2 && m.metrics().containsKey(MetricNames.POLICY_LOSS)));
        send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "r-2"));
        assertThat(second.get(60, TimeUnit.SECONDS)).isEqualTo(TrainerExitCodes.PAUSED);

        long firstResumedStep = read(Streams.METRICS, MetricUpdate.class).stream()
                .filter(m -> m.session().equals(session) && m.attempt() == 2 && m.metrics().containsKey(MetricNames.POLICY_LOSS))
                .mapToLong(MetricUpdate::step).min().orElseThrow();
        assertThat(firstResumedStep).isEqualTo(savedStep + 64);
        assertThat(read(Streams.EVENTS, LifecycleEvent.class)).anyMatch(e -> e.session().equals(session)
                && e.type() == EventType.SESSION_STARTED && e.attempt() == 2 && ("resumed at step " + savedStep).equals(e.reason()));
        assertThat(lastCheckpoint(session).attempt()).isEqualTo(2);
        // The resumed attempt has not evaluated yet: its checkpoint carries the evaluation the first one recorded.
        try (CheckpointFile.Opened resumed = CheckpointFile.open(Path.of(lastCheckpoint(session).checkpoint().path()))) {
            var saved = resumed.header().path("metrics");
            assertThat(saved.path(MetricNames.EVAL_WIN_RATE_VS_RANDOM).isNumber()).as(saved.toString()).isTrue();
            assertThat(saved.path(MetricNames.EVAL_STEP).asLong(-1)).as(saved.toString()).isZero();
        }
    }

    @Test
    void checkpointNowWritesACheckpointAndTrainingGoesOn(@TempDir Path tmp) throws Exception {
        String session = "s-" + UUID.randomUUID();
        Path config = Files.writeString(tmp.resolve("config.json"),
                TINY.formatted(100_000).replace("\"checkpoint_interval_timesteps\": 128", "\"checkpoint_interval_timesteps\": 1000000"));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> train(session, 1, config, tmp.resolve("ckpt")));
        await().atMost(Duration.ofSeconds(60)).until(() -> read(Streams.METRICS, MetricUpdate.class).stream()
                .anyMatch(m -> m.session().equals(session) && m.step() >= 64));
        send(ControlCommand.of(ControlCommand.Type.CHECKPOINT_NOW, session, "r-1"));
        await().atMost(Duration.ofSeconds(60)).until(() -> read(Streams.EVENTS, LifecycleEvent.class).stream()
                .anyMatch(e -> e.session().equals(session) && e.type() == EventType.CHECKPOINT_SAVED));
        assertThat(run).isNotDone();
        send(ControlCommand.of(ControlCommand.Type.STOP, session, "r-2"));
        assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(TrainerExitCodes.OK);
    }

    @Test
    void aBadConfigExitsWithAOneLineReasonAndAFailedEvent(@TempDir Path tmp) throws Exception {
        String session = "s-" + UUID.randomUUID();
        Path config = Files.writeString(tmp.resolve("config.json"), "{\"training\": {\"learning_rate\": 5, \"bogus\": 1}}");
        assertThat(train(session, 1, config, tmp.resolve("ckpt"))).isEqualTo(TrainerExitCodes.BAD_CONFIG);
        assertThat(err.toString().strip()).doesNotContain("\n").contains("training.learning_rate", "training.bogus");
        assertThat(read(Streams.EVENTS, LifecycleEvent.class)).anyMatch(e -> e.session().equals(session)
                && e.type() == EventType.SESSION_FAILED && e.reason().contains("training.learning_rate"));
    }

    @Test
    void anUnreadableCheckpointExitsWithItsOwnCode(@TempDir Path tmp) throws Exception {
        String session = "s-" + UUID.randomUUID();
        Path config = Files.writeString(tmp.resolve("config.json"), TINY.formatted(256));
        Path garbage = Files.writeString(tmp.resolve("garbage.kshogi"), "definitely not a checkpoint");
        assertThat(train(session, 2, config, tmp.resolve("ckpt"), "--resume", garbage.toString())).isEqualTo(TrainerExitCodes.BAD_CHECKPOINT);
        assertThat(err.toString()).contains("bad magic");
        assertThat(train(session, 2, config, tmp.resolve("ckpt"), "--resume", tmp.resolve("missing").toString()))
                .isEqualTo(TrainerExitCodes.BAD_CHECKPOINT);
    }

    @Test
    void unreachableRedisFailsClearlyAfterTheRetryWindow(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("config.json"), TINY.formatted(256));
        int closedPort = io.keisei.infra.FreePorts.pick();
        long t0 = System.nanoTime();
        // The URL comes from KEISEI_REDIS_URL, as training-service passes it (never on the command line).
        int code = new TrainCommand(new PrintStream(out), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("KEISEI_TRAINER_REDIS_RETRY_SECONDS", "2", "KEISEI_REDIS_URL", "redis://:pw-in-url@127.0.0.1:" + closedPort))
                .run(List.of("--session", "s-x", "--attempt", "1", "--config", config.toString(), "--checkpoint-dir", tmp.toString()));
        assertThat(code).isEqualTo(TrainerExitCodes.REDIS_UNAVAILABLE);
        assertThat(err.toString()).contains("unreachable for 2s", "127.0.0.1:" + closedPort).doesNotContain("pw-in-url");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aRedisOutageMidRunDoesNotStopTrainingAndBufferedMessagesArriveAfterwards(@TempDir Path tmp) throws Exception {
        int port = io.keisei.infra.FreePorts.pick();
        RedisServer own = RedisServer.start(null, port);
        String session = "s-" + UUID.randomUUID();
        Path config = Files.writeString(tmp.resolve("config.json"), TINY.formatted(100_000));
        List<String> args = List.of("--session", session, "--attempt", "1", "--redis", own.url(),
                "--config", config.toString(), "--checkpoint-dir", tmp.resolve("ckpt").toString());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> new TrainCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("KEISEI_TRAINER_HEARTBEAT_TTL_SECONDS", "3")).run(args));
        try (JedisPooled ownClient = new JedisPooled(URI.create(own.url()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> ownClient.xlen(Streams.METRICS) > 0);
        }
        own.close();
        // Training goes on without Redis: the learner's output keeps growing. Two more checkpoints,
        // because the first may have been under way when Redis went down.
        int checkpointsAtOutage = checkpointLines();
        await().atMost(Duration.ofSeconds(60)).until(() -> run.isDone() || checkpointLines() >= checkpointsAtOutage + 2);
        assertThat(run).isNotDone();
        RedisServer back = RedisServer.start(null, port);
        try (JedisPooled client = new JedisPooled(URI.create(back.url()))) {
            // What was buffered during the outage is delivered once Redis is back.
            await().atMost(Duration.ofSeconds(30)).until(() -> client.xlen(Streams.METRICS) > 0);
            client.xadd(Streams.control(session), XAddParams.xAddParams(),
                    StreamCodec.toEntry(ControlCommand.of(ControlCommand.Type.STOP, session, "r-1")));
            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(TrainerExitCodes.OK);
            long firstStepAfterOutage = client.xrange(Streams.METRICS, "-", "+").stream()
                    .map(e -> StreamCodec.fromEntry(e.getFields(), MetricUpdate.class)).mapToLong(MetricUpdate::step).min().orElseThrow();
            assertThat(firstStepAfterOutage).isPositive();
            assertThat(client.xrange(Streams.EVENTS, "-", "+")).anyMatch(e -> e.getFields().get("data").contains("checkpoint.saved"));
        } finally {
            back.close();
        }
    }

    /** Checkpoints the run has logged so far. */
    private int checkpointLines() {
        return (int) out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("checkpoint at step ")).count();
    }

    private static void send(ControlCommand cmd) {
        redis.xadd(Streams.control(cmd.session()), XAddParams.xAddParams(), StreamCodec.toEntry(cmd));
    }

    private static LifecycleEvent lastCheckpoint(String session) {
        List<LifecycleEvent> saved = read(Streams.EVENTS, LifecycleEvent.class).stream()
                .filter(e -> e.session().equals(session) && e.type() == EventType.CHECKPOINT_SAVED).toList();
        assertThat(saved).isNotEmpty();
        return saved.get(saved.size() - 1);
    }

    private static <T extends io.keisei.contracts.StreamMessage> List<T> read(String stream, Class<T> type) {
        List<StreamEntry> entries = redis.xrange(stream, "-", "+");
        return entries.stream().map(e -> StreamCodec.fromEntry(e.getFields(), type)).toList();
    }
}
