package io.keisei.contracts;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamLimitsTest {

    @Test
    void defaultsAreTheProtocolConstants() {
        Streams.MaxLengths d = Streams.MaxLengths.defaults();
        assertThat(d.of(Streams.METRICS)).isEqualTo(Streams.METRICS_MAXLEN);
        assertThat(d.of(Streams.GAMES)).isEqualTo(Streams.GAMES_MAXLEN);
        assertThat(d.of(Streams.EVENTS)).isEqualTo(Streams.EVENTS_MAXLEN);
        assertThat(d.of(Streams.SYSTEM)).isEqualTo(Streams.SYSTEM_MAXLEN);
        assertThat(d.of(Streams.DEAD_LETTER)).isEqualTo(Streams.DEAD_LETTER_MAXLEN);
        assertThat(d.of(Streams.control("s-1"))).isEqualTo(Streams.CONTROL_MAXLEN);
    }

    @Test
    void namesOfTheSettings() {
        assertThat(Streams.Limit.METRICS.environmentVariable()).isEqualTo("KEISEI_STREAMS_METRICS_MAX_LENGTH");
        assertThat(Streams.Limit.DEAD_LETTER.environmentVariable()).isEqualTo("KEISEI_STREAMS_DEAD_LETTER_MAX_LENGTH");
        assertThat(Streams.Limit.DEAD_LETTER.property()).isEqualTo("keisei.streams.dead-letter.max-length");
        assertThatThrownBy(() -> Streams.Limit.of("keisei:other")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentOverridesSomeAndKeepsTheOtherDefaults() {
        Streams.MaxLengths m = Streams.MaxLengths.fromEnvironment(Map.of(
                "KEISEI_STREAMS_METRICS_MAX_LENGTH", " 2_000_000 ", "KEISEI_STREAMS_GAMES_MAX_LENGTH", ""));
        assertThat(m.of(Streams.METRICS)).isEqualTo(2_000_000);
        assertThat(m.of(Streams.GAMES)).isEqualTo(Streams.GAMES_MAXLEN);
        assertThat(m.asEnvironment()).containsEntry("KEISEI_STREAMS_METRICS_MAX_LENGTH", "2000000")
                .containsEntry("KEISEI_STREAMS_EVENTS_MAX_LENGTH", String.valueOf(Streams.EVENTS_MAXLEN));
    }

    @Test
    void badValuesNameTheirVariable() {
        assertThatThrownBy(() -> Streams.MaxLengths.fromEnvironment(Map.of("KEISEI_STREAMS_EVENTS_MAX_LENGTH", "lots")))
                .hasMessageContaining("KEISEI_STREAMS_EVENTS_MAX_LENGTH");
        assertThatThrownBy(() -> Streams.MaxLengths.fromEnvironment(Map.of("KEISEI_STREAMS_EVENTS_MAX_LENGTH", "0")))
                .hasMessageContaining("at least 1");
    }
}
