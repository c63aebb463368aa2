package io.keisei.bench;

import io.keisei.bench.load.LoadHarness;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness's smoke mode in CI: the whole suite with a real trainer under a short load of every
 * scenario. It fails on request errors or a lost spike (order-of-magnitude breakage), never on a
 * latency figure: those are reported in target/smoke-results for people to read.
 */
class LoadSmokeIT {

    @Test
    void smokeRunCompletesWithoutErrorsAndWritesAReport() throws Exception {
        Path home = Path.of(System.getProperty("user.dir")).getParent();
        Path out = home.resolve("bench/target/smoke-results");
        int code = LoadHarness.run("smoke", home, out);
        assertThat(code).as("request errors or a missing spike: see the report in %s", out).isZero();
        try (Stream<Path> files = Files.list(out)) {
            Path report = files.filter(p -> p.toString().endsWith("-load-smoke.md")).findFirst().orElseThrow();
            String md = Files.readString(report);
            assertThat(md).contains("Status < 100 ms (plan)", "Push latency < 50 ms (plan)", "| status |", "The planted spike shows");
        }
    }
}
