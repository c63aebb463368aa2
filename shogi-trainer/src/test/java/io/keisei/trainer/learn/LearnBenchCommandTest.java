package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.keisei.trainer.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LearnBenchCommandTest {
    @Test
    void tinyBenchPrintsCurveAndFinalLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"learn-bench", "--minutes", "0.001", "--eval-games", "4", "--seed", "3",
            "--tower-width", "8", "--tower-depth", "1", "--steps-per-epoch", "64", "--minibatch", "32",
            "--ppo-epochs", "1", "--max-moves", "30"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).contains("# untrained: wins=").contains("elapsed_s,global_step,episodes,win_rate_vs_random")
                .containsPattern("\n[0-9.]+,[1-9][0-9]*,")
                .containsPattern("final: untrained_win_rate=[0-9.]+ \\(\\d+/4\\) trained_win_rate=[0-9.]+ .* p_value_one_sided=");
    }

    @Test
    void badArgumentsExitWithTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Main.run(new String[] {"learn-bench", "--bogus", "1"}, o, e)).isEqualTo(2);
        assertThat(Main.run(new String[] {"learn-bench", "--tower-width", "0"}, o, e)).isEqualTo(2);
        assertThat(Main.run(new String[] {"learn-bench", "--minutes"}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown argument").contains("towerWidth");
    }
}
