package io.keisei.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The configured tiers, finest first. Tier k holds buckets of 2^k steps starting at multiples of
 * 2^k, so every bucket of a coarser tier is the union of whole buckets of each finer tier.
 */
public final class TierLevels {

    private final int[] levels;

    public TierLevels(List<Integer> configured) {
        if (configured == null || configured.isEmpty()) {
            throw new IllegalArgumentException("at least one tier level is required");
        }
        int[] k = configured.stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < k.length; i++) {
            if (k[i] < 1 || k[i] > 40) {
                throw new IllegalArgumentException("tier level " + k[i] + " is outside 1..40");
            }
            if (i > 0 && k[i] <= k[i - 1]) {
                throw new IllegalArgumentException("tier levels must be strictly increasing: " + configured);
            }
        }
        this.levels = k;
    }

    public int count() {
        return levels.length;
    }

    /** The k of the i-th tier, 0 being the finest. */
    public int level(int i) {
        return levels[i];
    }

    public int finest() {
        return levels[0];
    }

    public int coarsest() {
        return levels[levels.length - 1];
    }

    public int[] toArray() {
        return levels.clone();
    }

    public static long width(int k) {
        return 1L << k;
    }

    public static long bucketStart(long step, int k) {
        return (step >> k) << k;
    }

    /** How many buckets of tier k the step range [lo, hi] can touch at most. */
    public static long maxBuckets(long lo, long hi, int k) {
        return (hi >> k) - (lo >> k) + 1;
    }

    @Override
    public String toString() {
        return Arrays.toString(levels);
    }
}
