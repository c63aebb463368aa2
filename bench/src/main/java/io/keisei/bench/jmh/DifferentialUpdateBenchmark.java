package io.keisei.bench.jmh;

import io.keisei.gateway.hub.SignificanceFilter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The hub's differential update builder: which of a session's metrics changed significantly since the last push. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DifferentialUpdateBenchmark {

    private final SignificanceFilter filter = new SignificanceFilter(Map.of(), 0.01);
    private final Map<String, Double> lastSent = new HashMap<>();
    private final Map<String, Double> current = new LinkedHashMap<>();

    public DifferentialUpdateBenchmark() {
        for (int i = 0; i < 16; i++) {
            lastSent.put("metric/" + i, 1.0 + i);
            // Half move by 5 % (significant), half by 0.1 % (not).
            current.put("metric/" + i, (1.0 + i) * (i % 2 == 0 ? 1.05 : 1.001));
        }
    }

    @Benchmark
    public Map<String, Double> sixteenMetrics() {
        return filter.changes(lastSent, current);
    }
}
