package io.keisei.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;

/**
 * Which pre-aggregated tiers are maintained: a tier k holds buckets of 2^k steps. Env:
 * KEISEI_METRICS_TIERS_LEVELS=8,11,14,17,20,23. docs/metrics-storage.md explains the default.
 * Changing the set affects new points only; rebuild older sessions with TierRebuild.
 */
@ConfigMapping(prefix = "keisei.metrics.tiers")
public interface TierConfig {

    /** Strictly increasing k values, each in 1..40. */
    @WithDefault("8,11,14,17,20,23")
    List<Integer> levels();
}
