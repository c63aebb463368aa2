package io.keisei.training.launcher;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every trainer trims the streams it writes as the services do: the service hands its keisei.streams.*.max-length on
 * as KEISEI_STREAMS_*_MAX_LENGTH, which reaches a Kubernetes Job too (whose environment is only what it is given).
 */
class TrainerStreamLimitsTest {

    @Test
    void theServicesStreamLimitsAreInEveryTrainersEnvironment(@TempDir Path dir) {
        TrainerInvocation invocation = new TrainerInvocation("redis://127.0.0.1:1", Duration.ofSeconds(60),
                Streams.MaxLengths.defaults().with(Streams.Limit.METRICS, 2_000_000).with(Streams.Limit.GAMES, 50_000));
        LaunchRequest r = new LaunchRequest("s", 1, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{}"), dir,
                null, "0-0", new AllocationInfo("a", "local", 1000, 512, List.of(), null, null));
        assertThat(invocation.environment(r, "/c.json"))
                .containsEntry("KEISEI_STREAMS_METRICS_MAX_LENGTH", "2000000")
                .containsEntry("KEISEI_STREAMS_GAMES_MAX_LENGTH", "50000")
                .containsEntry("KEISEI_STREAMS_EVENTS_MAX_LENGTH", String.valueOf(Streams.EVENTS_MAXLEN));
    }
}
