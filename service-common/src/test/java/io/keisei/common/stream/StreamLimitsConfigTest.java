package io.keisei.common.stream;

import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** keisei.streams.* from the environment, as every service reads it, down to the producer's XADD MAXLEN ~. */
class StreamLimitsConfigTest {

    private static StreamsConfig configFrom(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(StreamsConfig.class)
                .build();
        return config.getConfigMapping(StreamsConfig.class);
    }

    @Test
    void withoutSettingsTheLimitsAreTheProtocolDefaults() {
        StreamsConfig c = configFrom(Map.of());
        assertThat(StreamsConfig.maxLengthsOf(c)).isEqualTo(Streams.MaxLengths.defaults());
        assertThat(c.lag().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.lag().warnFraction()).isEqualTo(0.5);
    }

    @Test
    void theEnvironmentVariablesOverrideEachStream() {
        StreamsConfig c = configFrom(Map.of(
                "KEISEI_STREAMS_METRICS_MAX_LENGTH", "2000000",
                "KEISEI_STREAMS_DEAD_LETTER_MAX_LENGTH", "7",
                "KEISEI_STREAMS_LAG_WARN_FRACTION", "0.25",
                "KEISEI_STREAMS_LAG_INTERVAL", "1s"));
        Streams.MaxLengths m = StreamsConfig.maxLengthsOf(c);
        assertThat(m.of(Streams.METRICS)).isEqualTo(2_000_000);
        assertThat(m.of(Streams.DEAD_LETTER)).isEqualTo(7);
        assertThat(m.of(Streams.GAMES)).isEqualTo(Streams.GAMES_MAXLEN);
        assertThat(c.lag().warnFraction()).isEqualTo(0.25);
        assertThat(c.lag().interval()).isEqualTo(Duration.ofSeconds(1));
        // The services' variables are the ones trainers read.
        assertThat(Streams.MaxLengths.fromEnvironment(Map.of("KEISEI_STREAMS_METRICS_MAX_LENGTH", "2000000",
                "KEISEI_STREAMS_DEAD_LETTER_MAX_LENGTH", "7"))).isEqualTo(m);
    }

    @Test
    void aConfiguredMaxLengthReachesThePublishersXadd() {
        RedisDataSource redis = TestRedis.get();
        StreamPublisher publisher = new StreamPublisher(redis,
                StreamsConfig.maxLengthsOf(configFrom(Map.of("KEISEI_STREAMS_CONTROL_MAX_LENGTH", "50"))));
        String session = "limits-" + UUID.randomUUID();
        String stream = Streams.control(session);
        assertThat(publisher.maxLength(stream)).isEqualTo(50);
        for (int i = 0; i < 500; i++) {
            publisher.publish(stream, ControlCommand.of(ControlCommand.Type.CHECKPOINT_NOW, session, "r-" + i));
        }
        // MAXLEN ~ trims whole nodes of (by default) 100 entries: near 50, far below 500.
        assertThat(redis.stream(String.class).xlen(stream)).isBetween(50L, 150L);
        redis.key().del(stream);
    }
}
