package io.keisei.trainer.bridge;

import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.infra.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Keisei bridge ({@code examples/keisei-bridge/keisei_bridge.py}) run for real by the system
 * {@code python3} on its stand-in Keisei trainer ({@code demo_trainer.py}) against a real Redis.
 * Everything the Python side writes is decoded with the Java {@link StreamCodec}, so the bridge's
 * wire format is checked against the contract records themselves.
 */
class KeiseiBridgeTest {

    private static final int PAUSED = 10;
    private static final List<String> KEISEI_PPO_NAMES = List.of(MetricNames.POLICY_LOSS, MetricNames.VALUE_LOSS,
            MetricNames.ENTROPY, MetricNames.KL_DIVERGENCE, MetricNames.CLIP_FRACTION, MetricNames.LEARNING_RATE);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String NO_PYTHON = "python3 not found: skipping the Keisei bridge test";

    private static boolean python;
    private static Path bridgeDir;
    private static RedisServer server;
    private static JedisPooled redis;

    @BeforeAll
    static void setUp() {
        python = python3Available();
        if (!python) {
            System.err.println("WARNING: " + NO_PYTHON);
            return;
        }
        bridgeDir = findBridgeDir();
        server = RedisServer.start(null, 0);
        redis = new JedisPooled(URI.create(server.url()));
    }

    /** Per test, so that every test is reported as skipped, with the reason. */
    @BeforeEach
    void requirePython() {
        assumeTrue(python, NO_PYTHON);
    }

    @AfterAll
    static void tearDown() {
        if (redis != null) {
            redis.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void publishesMetricsGamesHeartbeatAndEventsAndPausesWithACheckpoint(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        // A command of an earlier attempt: the bridge must start after it, not replay it.
        send(ControlCommand.of(ControlCommand.Type.STOP, session, "old-attempt"));
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, server.url(), session, 1, ckpt, null, "--epochs", "0", "--sleep", "0.05");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> metrics(redis, session).size() >= 4 && !games(session).isEmpty());

            List<MetricUpdate> updates = metrics(redis, session);
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
            assertThat(updates.get(0).step()).isEqualTo(64);
            assertThat(updates.get(updates.size() - 1).metrics()).containsKey(MetricNames.STEPS_PER_SECOND);
            assertThat(updates.get(updates.size() - 1).metrics().get(MetricNames.STEPS_PER_SECOND)).isPositive();

            GameState game = games(session).get(0);
            assertThat(game.gameId()).startsWith("keisei-");
            assertThat(game.sideToMove()).isEqualTo(game.sfen().split(" ")[1].equals("w") ? "white" : "black");
            assertThat(game.moves()).hasSize(game.ply());
            if (!game.moves().isEmpty()) {
                assertThat(game.lastMove()).isEqualTo(game.moves().get(game.moves().size() - 1)).matches("[1-9][a-i][1-9][a-i]\\+?");
            }

            assertThat(redis.exists(Streams.heartbeat(session))).isTrue();
            assertThat(redis.ttl(Streams.heartbeat(session))).isBetween(1L, 10L);

            List<LifecycleEvent> events = events(session);
            assertThat(events).hasSize(1);
            LifecycleEvent started = events.get(0);
            assertThat(started.type()).isEqualTo(EventType.SESSION_STARTED);
            assertThat(started.source()).isEqualTo("trainer");
            assertThat(started.state()).isEqualTo("running");
            assertThat(started.attempt()).isEqualTo(1);
            assertThat(started.reason()).isNull();
            assertThat(p.isAlive()).as("the old attempt's stop is not replayed\n%s", output(tmp)).isTrue();

            send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "r-pause"));
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(PAUSED);

            LifecycleEvent saved = lastCheckpoint(session);
            assertThat(saved.source()).isEqualTo("trainer");
            assertThat(saved.attempt()).isEqualTo(1);
            Path file = Path.of(saved.checkpoint().path());
            assertThat(file.getParent()).isEqualTo(ckpt.toAbsolutePath());
            assertThat(file.getFileName().toString()).isEqualTo("checkpoint_ts" + saved.checkpoint().step() + ".pth");
            assertThat(Files.size(file)).isEqualTo(saved.checkpoint().sizeBytes());
            assertThat(sha256(file)).isEqualTo(saved.checkpoint().sha256());
            List<MetricUpdate> all = metrics(redis, session);
            assertThat(saved.checkpoint().step()).isEqualTo(all.get(all.size() - 1).step());
            assertThat(redis.exists(Streams.heartbeat(session))).as("heartbeat removed at exit").isFalse();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void checkpointNowKeepsTrainingAndStopExitsZero(@TempDir Path tmp) throws Exception {
        String session = "kb-" + UUID.randomUUID();
        send(ControlCommand.of(ControlCommand.Type.PAUSE, session, "old-attempt"));
        String cursor = redis.xrevrange(Streams.control(session), "+", "-", 1).get(0).getID().toString();
        Path ckpt = tmp.resolve("ckpt");
        Process p = launch(tmp, server.url(), session, 2, ckpt, cursor, "--epochs", "0", "--sleep", "0.05", "--save-callable");
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> metrics(redis, session).size() >= 2);
            send(ControlCommand.of(ControlCommand.Type.CHECKPOINT_NOW, session, "r-ckpt"));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> events(session).stream().anyMatch(e -> e.type() == EventType.CHECKPOINT_SAVED));
            LifecycleEvent first = lastCheckpoint(session);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> metrics(redis, session).stream()
                    .anyMatch(m -> m.step() > first.checkpoint().step()));
            assertThat(p.isAlive()).as(output(tmp)).isTrue();

            send(ControlCommand.of(ControlCommand.Type.STOP, session, "r-stop"));
            assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(output(tmp)).isTrue();
            assertThat(p.exitValue()).as(output(tmp)).isEqualTo(0);

            List<LifecycleEvent> saved = events(session).stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
            assertThat(saved).hasSize(2);
            assertThat(saved.get(1).checkpoint().step()).isGreaterThan(saved.get(0).checkpoint().step());
            for (LifecycleEvent e : saved) {
                assertThat(e.attempt()).isEqualTo(2);
                Path file = Path.of(e.checkpoint().path());
                assertThat(file.getFileName().toString()).isEqualTo("custom_ts" + e.checkpoint().step() + ".pth");
                assertThat(Files.size(file)).isEqualTo(e.checkpoint().sizeBytes());
                assertThat(sha256(file)).isEqualTo(e.checkpoint().sha256());
            }
            assertThat(metrics(redis, session)).allSatisfy(m -> assertThat(m.attempt()).isEqualTo(2));
            assertThat(events(session).get(0).type()).isEqualTo(EventType.SESSION_STARTED);
            assertThat(events(session).get(0).attempt()).isEqualTo(2);
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
                assertThat(steps.get(steps.size() - 1)).isEqualTo(120L * 64);
                for (int i = 1; i < steps.size(); i++) {
                    assertThat(steps.get(i) - steps.get(i - 1)).as("no gap in %s", steps).isEqualTo(64L);
                }
                List<StreamEntry> events = after.xrange(Streams.EVENTS, "-", "+");
                assertThat(events).map(e -> StreamCodec.fromEntry(e.getFields(), LifecycleEvent.class))
                        .anyMatch(e -> e.session().equals(session) && e.type() == EventType.SESSION_COMPLETED
                                && "completed".equals(e.state()));
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
        List<String> command = new ArrayList<>(List.of("python3", bridgeDir.resolve("demo_trainer.py").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("trainer.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("KEISEI_REDIS_URL", redisUrl);
        env.put("KEISEI_SESSION_ID", session);
        env.put("KEISEI_ATTEMPT", String.valueOf(attempt));
        env.put("KEISEI_CHECKPOINT_DIR", checkpointDir.toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        if (cursor != null) {
            env.put("KEISEI_CONTROL_CURSOR", cursor);
        } else {
            env.remove("KEISEI_CONTROL_CURSOR");
        }
        return pb.start();
    }

    /** Epochs the stand-in trainer has logged since the bridge logged that Redis is unreachable. */
    private static long epochsAfterOutage(Path tmp) {
        String log = output(tmp);
        int outage = log.indexOf("unreachable");
        return outage < 0 ? 0 : log.substring(outage).lines().filter(l -> l.startsWith("step ")).count();
    }

    private static String output(Path tmp) {
        try {
            Path log = tmp.resolve("trainer.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static void send(ControlCommand cmd) {
        redis.xadd(Streams.control(cmd.session()), XAddParams.xAddParams(), StreamCodec.toEntry(cmd));
    }

    private static List<MetricUpdate> metrics(JedisPooled client, String session) {
        return read(client, Streams.METRICS, MetricUpdate.class).stream().filter(m -> m.session().equals(session)).toList();
    }

    private static List<GameState> games(String session) {
        return read(redis, Streams.GAMES, GameState.class).stream().filter(g -> g.session().equals(session)).toList();
    }

    private static List<LifecycleEvent> events(String session) {
        return read(redis, Streams.EVENTS, LifecycleEvent.class).stream().filter(e -> e.session().equals(session)).toList();
    }

    private static LifecycleEvent lastCheckpoint(String session) {
        List<LifecycleEvent> saved = events(session).stream().filter(e -> e.type() == EventType.CHECKPOINT_SAVED).toList();
        assertThat(saved).as("checkpoint.saved events").isNotEmpty();
        return saved.get(saved.size() - 1);
    }

    /** Every entry of the stream, decoded by the Java contract codec (a malformed entry fails the test). */
    private static <T extends StreamMessage> List<T> read(JedisPooled client, String stream, Class<T> type) {
        return client.xrange(stream, "-", "+").stream().map(e -> StreamCodec.fromEntry(e.getFields(), type)).toList();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static boolean python3Available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** examples/keisei-bridge, found from user.dir (the shogi-trainer module when Maven runs the test) upwards. */
    private static Path findBridgeDir() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples").resolve("keisei-bridge");
            if (Files.isRegularFile(candidate.resolve("demo_trainer.py")) && Files.isRegularFile(candidate.resolve("keisei_bridge.py"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/keisei-bridge not found above " + System.getProperty("user.dir"));
    }
}
