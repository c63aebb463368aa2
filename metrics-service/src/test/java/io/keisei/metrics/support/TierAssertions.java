package io.keisei.metrics.support;

import io.keisei.metrics.support.ReferenceModel.Agg;
import io.keisei.metrics.support.ReferenceModel.TierKey;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Compares stored tier buckets with a brute-force aggregation ({@link ReferenceModel#tiers}). */
public final class TierAssertions {

    private TierAssertions() {
    }

    /** Same buckets; counts, min, max and last exact; sums equal up to floating-point summation order. */
    public static void assertMatches(Map<TierKey, Agg> actual, Map<TierKey, Agg> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((k, e) -> {
            Agg a = actual.get(k);
            assertThat(a.count()).as("count %s", k).isEqualTo(e.count());
            assertThat(a.min()).as("min %s", k).isEqualTo(e.min());
            assertThat(a.max()).as("max %s", k).isEqualTo(e.max());
            assertThat(a.lastStep()).as("last step %s", k).isEqualTo(e.lastStep());
            assertThat(a.last()).as("last %s", k).isEqualTo(e.last());
            assertThat(a.sum()).as("sum %s", k).isCloseTo(e.sum(), within(1e-6 * Math.max(1, Math.abs(e.sum()))));
        });
    }
}
