package io.keisei.trainer.run;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis URL may hold a password: it comes from KEISEI_REDIS_URL, so that it need not be on the command line. */
class TrainArgsTest {

    static final List<String> WITHOUT_REDIS = List.of("--session", "s", "--attempt", "1", "--config", "c.json", "--checkpoint-dir", "d");

    @Test
    void withoutRedisArgumentTheUrlComesFromTheEnvironment() {
        TrainArgs a = TrainArgs.parse(WITHOUT_REDIS, Map.of("KEISEI_REDIS_URL", "redis://:secret@cache:6379"));
        assertThat(a.redisUrl()).isEqualTo("redis://:secret@cache:6379");
    }

    @Test
    void anExplicitRedisArgumentStillWins() {
        List<String> args = new java.util.ArrayList<>(WITHOUT_REDIS);
        args.addAll(List.of("--redis", "redis://other:6379"));
        assertThat(TrainArgs.parse(args, Map.of("KEISEI_REDIS_URL", "redis://cache:6379")).redisUrl()).isEqualTo("redis://other:6379");
    }

    @Test
    void neitherIsAUsageErrorNamingTheVariable() {
        assertThatThrownBy(() -> TrainArgs.parse(WITHOUT_REDIS, Map.of()))
                .isInstanceOf(TrainArgs.UsageException.class).hasMessageContaining("KEISEI_REDIS_URL");
        assertThatThrownBy(() -> TrainArgs.parse(WITHOUT_REDIS, Map.of("KEISEI_REDIS_URL", "http://cache")))
                .isInstanceOf(TrainArgs.UsageException.class).hasMessageContaining("redis:// URL");
    }
}
