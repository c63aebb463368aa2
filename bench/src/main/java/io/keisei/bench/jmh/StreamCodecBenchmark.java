package io.keisei.bench.jmh;

import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The stream codec on a trainer's typical record (16 metrics): every message in and out of Redis pays this. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamCodecBenchmark {

    private final MetricUpdate update;
    private final Map<String, String> entry;

    public StreamCodecBenchmark() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : new String[]{"ppo/policy_loss", "ppo/value_loss", "ppo/entropy", "ppo/kl_divergence_approx",
                "ppo/clip_fraction", "ppo/learning_rate", "episodes_completed", "episode_reward_mean", "episode_length_mean",
                "black_win_rate", "white_win_rate", "draw_rate", "steps_per_second", "eval/win_rate_vs_random", "eval/draw_rate",
                "eval/games"}) {
            m.put(name, Math.random());
        }
        update = MetricUpdate.of("3160fbbe-8426-4c1c-8be0-b785531b5998", 1, 123_456, System.currentTimeMillis(), m);
        entry = StreamCodec.toEntry(update);
    }

    @Benchmark
    public Map<String, String> encode() {
        return StreamCodec.toEntry(update);
    }

    @Benchmark
    public MetricUpdate decode() {
        return StreamCodec.fromEntry(entry, MetricUpdate.class);
    }
}
