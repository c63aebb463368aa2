package io.keisei.metrics.support;

import io.keisei.contracts.MetricUpdate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random training run as a trainer would publish it, with the trouble real streams have:
 * redelivered duplicates (also late ones, after a resume), a resume from an earlier step with a new
 * attempt, and a second resume from further back.
 */
public final class RandomRun {

    private RandomRun() {
    }

    public static List<MetricUpdate> generate(String session, long seed, int updatesPerAttempt) {
        Random r = new Random(seed);
        String[] names = {"ppo/policy_loss", "ppo/value_loss", "ppo/entropy", "eval/win_rate_vs_random"};
        List<MetricUpdate> out = new ArrayList<>();
        List<MetricUpdate> attempt1 = attempt(session, 1, 0, updatesPerAttempt, r, names);
        out.addAll(attempt1);
        // Resume 2 from a step inside attempt 1 (sometimes one attempt 1 also had, sometimes not).
        long resume2 = attempt1.get(updatesPerAttempt * 2 / 3).step() + (r.nextBoolean() ? 0 : 7);
        List<MetricUpdate> attempt2 = attempt(session, 2, resume2, updatesPerAttempt / 2, r, names);
        // Late redeliveries of attempt 1 (some now superseded) interleaved with attempt 2.
        for (MetricUpdate u : attempt2) {
            out.add(u);
            if (r.nextInt(10) == 0) {
                out.add(attempt1.get(r.nextInt(attempt1.size())));
            }
        }
        // Resume 3 from further back than attempt 2 began.
        long resume3 = attempt1.get(updatesPerAttempt / 3).step();
        out.addAll(attempt(session, 3, resume3, updatesPerAttempt / 2, r, names));
        // Plain redeliveries anywhere.
        for (int i = 0; i < out.size() / 20; i++) {
            int at = r.nextInt(out.size());
            out.add(at, out.get(r.nextInt(at + 1)));
        }
        return out;
    }

    private static List<MetricUpdate> attempt(String session, int attempt, long from, int n, Random r, String[] names) {
        List<MetricUpdate> out = new ArrayList<>(n);
        long step = from;
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String name : names) {
                if (name.startsWith("eval/") ? r.nextInt(8) == 0 : r.nextInt(5) > 0) {
                    double v = r.nextGaussian() * (attempt + 1);
                    if (r.nextInt(200) == 0) {
                        v *= 1000; // spikes
                    }
                    m.put(name, v);
                }
            }
            if (m.isEmpty()) {
                m.put(names[0], r.nextGaussian());
            }
            out.add(MetricUpdate.of(session, attempt, step, now + i, m));
            step += 1 + r.nextInt(r.nextInt(10) == 0 ? 4000 : 300);
        }
        return out;
    }
}
