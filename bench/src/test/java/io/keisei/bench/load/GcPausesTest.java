package io.keisei.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Pauses read from real unified-logging lines of each collector (JDK 17), concurrent phases left out. */
class GcPausesTest {

    @Test
    void pausesOfEveryCollectorAreReadAndConcurrentPhasesAreNot(@TempDir Path dir) throws Exception {
        Path serial = dir.resolve("serial.log");
        Files.writeString(serial, """
                [0.004s][info][gc] Using Serial
                [1.234s][info][gc] GC(0) Pause Young (Allocation Failure) 27M->5M(123M) 6.789ms
                [9.001s][info][gc] GC(1) Pause Full (System.gc()) 30M->12M(123M) 41.500ms
                """);
        GcPauses.Summary s = GcPauses.read(serial);
        assertThat(s.collector()).isEqualTo("Serial");
        assertThat(s.pausesMs()).containsExactly(6.789, 41.5);
        assertThat(s.quantile(1.0)).isEqualTo(41.5);
        assertThat(GcPauses.read(serial, 5).pausesMs()).as("start-up left out").containsExactly(41.5);

        Path g1 = dir.resolve("g1.log");
        Files.writeString(g1, """
                [0.005s][info][gc] Using G1
                [2.000s][info][gc,phases] GC(0)   Pre Evacuate Collection Set: 0.1ms
                [2.000s][info][gc,phases] GC(0)   Evacuate Collection Set: 3.2ms
                [2.001s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->8M(256M) 3.456ms
                [5.000s][info][gc] GC(1) Pause Remark 30M->30M(256M) 1.250ms
                [5.100s][info][gc] GC(1) Concurrent Mark Cycle 120.000ms
                """);
        assertThat(GcPauses.read(g1).pausesMs()).containsExactly(3.456, 1.25);

        Path z = dir.resolve("z.log");
        Files.writeString(z, """
                [0.006s][info][gc,init] Using The Z Garbage Collector
                [3.000s][info][gc,phases] GC(0) Pause Mark Start 0.012ms
                [3.050s][info][gc,phases] GC(0) Concurrent Mark 48.123ms
                [3.060s][info][gc,phases] GC(0) Pause Mark End 0.020ms
                [3.070s][info][gc,phases] GC(0) Pause Relocate Start 0.009ms
                [3.100s][info][gc] GC(0) Garbage Collection (Warmup) 10M(2%)->6M(1%)
                """);
        GcPauses.Summary zs = GcPauses.read(z);
        assertThat(zs.collector()).isEqualTo("The Z Garbage Collector");
        assertThat(zs.pausesMs()).containsExactly(0.012, 0.02, 0.009);
    }
}
