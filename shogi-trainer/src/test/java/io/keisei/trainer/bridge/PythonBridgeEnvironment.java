package io.keisei.trainer.bridge;

import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.infra.RedisServer;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.XAddParams;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the tests of the Python side of examples/keisei-bridge share: the system {@code python3} (of a minimum
 * version) that runs it, the directory it is in, a real Redis with a client, and the streams read back through the
 * Java {@link StreamCodec}. A test class makes one from its {@code @BeforeAll} and closes it in its {@code @AfterAll};
 * without python3 there is no Redis (server and redis are null), and {@link #assumePython()} skips each test that
 * needs it, with the reason.
 *
 * @param noPython  why the tests that need python3 are skipped without it
 * @param repoRoot  the repository root
 * @param bridgeDir examples/keisei-bridge, or the copy a system property names
 * @param server    the Redis server, or null without python3
 * @param redis     a client of it, or null without python3
 */
record PythonBridgeEnvironment(String noPython, Path repoRoot, Path bridgeDir, RedisServer server, JedisPooled redis)
        implements AutoCloseable {

    /**
     * Finds the bridge directory, checks for python3 and, where it is there, starts Redis.
     *
     * @param minimumPython     the python3 version needed, e.g. "3" (any) or "3.11"
     * @param noPython          why the tests are skipped without it
     * @param script            a script of examples/keisei-bridge that the test runs (keisei_bridge.py is looked for too)
     * @param bridgeDirProperty a system property that may name another copy of the bridge directory (e.g. an earlier
     *                          version, to see which tests it fails), or null
     */
    static PythonBridgeEnvironment start(String minimumPython, String noPython, String script, String bridgeDirProperty) {
        Path root = findRepoRoot(script);
        Path dir = root.resolve("examples").resolve("keisei-bridge");
        String override = bridgeDirProperty == null ? null : System.getProperty(bridgeDirProperty);
        if (override != null && !override.isBlank()) {
            dir = Path.of(override).toAbsolutePath();
        }
        if (!python3Available(minimumPython)) {
            System.err.println("WARNING: " + noPython);
            return new PythonBridgeEnvironment(noPython, root, dir, null, null);
        }
        RedisServer server = RedisServer.start(null, 0);
        try {
            return new PythonBridgeEnvironment(noPython, root, dir, server, new JedisPooled(URI.create(server.url())));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Skips the calling test, with the reason, where python3 is missing. */
    void assumePython() {
        assumeTrue(server != null, noPython);
    }

    String redisUrl() {
        return server.url();
    }

    void send(ControlCommand cmd) {
        redis.xadd(Streams.control(cmd.session()), XAddParams.xAddParams(), StreamCodec.toEntry(cmd));
    }

    List<MetricUpdate> metrics(String session) {
        return metrics(redis, session);
    }

    /** The session's metrics, from the Redis the client is connected to. */
    static List<MetricUpdate> metrics(JedisPooled client, String session) {
        return read(client, Streams.METRICS, MetricUpdate.class).stream().filter(m -> m.session().equals(session)).toList();
    }

    List<GameState> games(String session) {
        return read(redis, Streams.GAMES, GameState.class).stream().filter(g -> g.session().equals(session)).toList();
    }

    List<LifecycleEvent> events(String session) {
        return read(redis, Streams.EVENTS, LifecycleEvent.class).stream().filter(e -> e.session().equals(session)).toList();
    }

    /** Every entry of the stream, decoded by the Java contract codec (a malformed entry fails the test). */
    private static <T extends StreamMessage> List<T> read(JedisPooled client, String stream, Class<T> type) {
        return client.xrange(stream, "-", "+").stream().map(e -> StreamCodec.fromEntry(e.getFields(), type)).toList();
    }

    /** The variables every run of the bridge is given: its Redis, session, attempt and checkpoint directory; Python unbuffered. */
    static Map<String, String> bridgeVariables(String redisUrl, String session, int attempt, Path checkpointDir) {
        return Map.of("KEISEI_REDIS_URL", redisUrl, "KEISEI_SESSION_ID", session, "KEISEI_ATTEMPT", String.valueOf(attempt),
                "KEISEI_CHECKPOINT_DIR", checkpointDir.toString(), "PYTHONUNBUFFERED", "1", "PYTHONDONTWRITEBYTECODE", "1");
    }

    /** What a process wrote to its log file, for assertion messages. */
    static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(no output)";
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** The process and everything it started (a failed test must leave no child behind). */
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Override
    public void close() {
        if (server != null) {
            redis.close();
            server.close();
        }
    }

    private static boolean python3Available(String minimum) {
        String version = "(" + minimum.replace('.', ',') + ",)";
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; sys.exit(0 if sys.version_info >= " + version + " else 1)")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The repository root, found from user.dir (the shogi-trainer module when Maven runs the test) upwards. */
    private static Path findRepoRoot(String script) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples").resolve("keisei-bridge");
            if (Files.isRegularFile(candidate.resolve(script)) && Files.isRegularFile(candidate.resolve("keisei_bridge.py"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/keisei-bridge not found above " + System.getProperty("user.dir"));
    }
}
