package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import io.keisei.trainer.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code perft} subcommand and the dispatcher, run in-process through {@link Main#run}. */
class CliTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void perftPrintsCountsThenNps() {
        Run r = run("perft", "--depth", "3");
        assertThat(r.code()).isZero();
        String[] lines = r.out().split("\\R");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo("nodes=25470 captures=59 promotions=30 checks=48 checkmates=0");
        assertThat(lines[1]).matches("nps=\\d+");
    }

    @Test
    void perftFromSfen() {
        Run r = run("perft", "--depth=2", "--sfen", PerftTest.MATSURI);
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("nodes=28684 ");
    }

    @Test
    void badArgumentsGiveOneLineAndExitCode2() {
        String[][] cases = {
            {"perft"},
            {"perft", "--depth"},
            {"perft", "--depth", "x"},
            {"perft", "--depth", "-1"},
            {"perft", "--depth", "2", "--sfen", "not an sfen"},
            {"perft", "--depth", "2", "--bogus"},
            {"perft", "--depth", "2", "--sfen", "4k4/9/9/9/4R4/9/9/9/4K4 b - 1"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().split("\\R")).as(r.err()).hasSize(1);
        }
    }

    @Test
    void unknownOrMissingCommandPrintsUsage() {
        Run unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("usage", "perft");
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("--help").code()).isZero();
    }
}
