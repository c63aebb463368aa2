package io.keisei.metrics.support;

import io.keisei.contracts.MetricUpdate;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The storage rules of metrics-service written the slow, obvious way, to check the real thing
 * against: updates applied one by one; a later attempt supersedes every point of an earlier one at
 * or after its first step (TensorBoard's purge); within one attempt the first delivery of a step wins.
 */
public final class ReferenceModel {

    public record Key(String metric, long step) {
    }

    public record Value(double value, int attempt) {
    }

    /** Expected aggregates of one bucket. */
    public record Agg(double min, double max, double last, long lastStep, double sum, long count) {
    }

    public record TierKey(String metric, int tier, long bucketStart) {
    }

    private final TreeMap<Integer, Long> firstSteps = new TreeMap<>();
    private final Map<Key, Value> points = new HashMap<>();

    public void apply(MetricUpdate u) {
        Long before = firstSteps.get(u.attempt());
        firstSteps.merge(u.attempt(), u.step(), Math::min);
        long first = firstSteps.get(u.attempt());
        if (!Objects.equals(before, first)) {
            points.entrySet().removeIf(e -> e.getValue().attempt() < u.attempt() && e.getKey().step() >= first);
        }
        for (long later : firstSteps.tailMap(u.attempt(), false).values()) {
            if (u.step() >= later) {
                return;
            }
        }
        u.metrics().forEach((m, v) -> points.merge(new Key(m, u.step()), new Value(v, u.attempt()),
                (old, neu) -> neu.attempt() > old.attempt() ? neu : old));
    }

    public Map<Key, Value> points() {
        return points;
    }

    /** Brute-force aggregation of the expected points into every tier. */
    public Map<TierKey, Agg> tiers(int[] levels) {
        Map<TierKey, Agg> out = new HashMap<>();
        for (int k : levels) {
            points.forEach((key, v) -> out.merge(new TierKey(key.metric(), k, (key.step() >> k) << k),
                    new Agg(v.value(), v.value(), v.value(), key.step(), v.value(), 1),
                    (a, b) -> new Agg(Math.min(a.min(), b.min()), Math.max(a.max(), b.max()),
                            a.lastStep() > b.lastStep() ? a.last() : b.last(), Math.max(a.lastStep(), b.lastStep()),
                            a.sum() + b.sum(), a.count() + b.count())));
        }
        return out;
    }
}
