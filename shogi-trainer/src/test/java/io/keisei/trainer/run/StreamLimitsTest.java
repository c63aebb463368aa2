package io.keisei.trainer.run;

import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.infra.RedisServer;
import io.keisei.trainer.TrainCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer trims its streams to the KEISEI_STREAMS_*_MAX_LENGTH limits that training-service hands it (the
 * services' keisei.streams.*.max-length), against a Redis of its own (this test trims keisei:metrics).
 */
class StreamLimitsTest {

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

    @Test
    void theConfiguredMaxLengthReachesXadd() {
        Streams.MaxLengths limits = Streams.MaxLengths.fromEnvironment(Map.of("KEISEI_STREAMS_METRICS_MAX_LENGTH", "50"));
        String session = "limits-" + UUID.randomUUID();
        try (StreamLink link = StreamLink.connect(server.url(), session, Duration.ofSeconds(5), 1000, Duration.ofSeconds(3),
                limits)) {
            for (int i = 1; i <= 500; i++) {
                link.publish(Streams.METRICS, MetricUpdate.of(session, 1, i, i, Map.of("x", (double) i)));
            }
        }
        // MAXLEN ~ trims whole nodes of (by default) 100 entries: near 50, far below 500.
        assertThat(redis.xlen(Streams.METRICS)).isBetween(50L, 150L);
    }

    @Test
    void aBadLimitIsABadConfigNamingItsVariable(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("config.json"), TrainCommandTest.TINY.formatted(64));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new TrainCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("KEISEI_STREAMS_GAMES_MAX_LENGTH", "many", "KEISEI_TRAINER_REDIS_RETRY_SECONDS", "2"))
                .run(List.of("--session", "limits-" + UUID.randomUUID(), "--attempt", "1", "--redis", server.url(),
                        "--config", config.toString(), "--checkpoint-dir", tmp.resolve("ckpt").toString()));
        assertThat(code).isEqualTo(TrainerExitCodes.BAD_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("KEISEI_STREAMS_GAMES_MAX_LENGTH");
    }
}
