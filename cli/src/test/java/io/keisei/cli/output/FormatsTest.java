package io.keisei.cli.output;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormatsTest {

    @Test
    void numbersDurationsSizesAndBars() {
        assertThat(Formats.number(0.0312)).isEqualTo("0.0312");
        assertThat(Formats.number(-1.25)).isEqualTo("-1.25");
        assertThat(Formats.number(512.34)).isEqualTo("512.3");
        assertThat(Formats.number(2.0)).isEqualTo("2");
        assertThat(Formats.number(1e-5)).isEqualTo("1.00e-05");
        assertThat(Formats.number(null)).isEqualTo("–");
        assertThat(Formats.duration(42)).isEqualTo("42s");
        assertThat(Formats.duration(4711)).isEqualTo("1h18m31s");
        assertThat(Formats.duration(125)).isEqualTo("2m05s");
        assertThat(Formats.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Formats.count(1234567)).isEqualTo("1,234,567");
        assertThat(Formats.time("2026-12-07T04:05:06.789Z")).matches("2026-12-0[67] [0-9]{2}:[0-9]{2}:06");
        assertThat(Formats.time("yesterday")).isEqualTo("yesterday");
        assertThat(ProgressBar.render(0.5, 10)).isEqualTo("[#####-----]  50.0%");
        assertThat(ProgressBar.render(2, 4)).isEqualTo("[####] 100.0%");
    }
}
