package io.keisei.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How long raw points are kept; tiers are kept for ever. Env: KEISEI_METRICS_RETENTION_RAW_DAYS,
 * KEISEI_METRICS_RETENTION_EVERY ("off" disables the job), KEISEI_METRICS_RETENTION_DELETE_BATCH.
 */
@ConfigMapping(prefix = "keisei.metrics.retention")
public interface RetentionConfig {

    /** Raw points whose wall time is older than this many days are deleted. */
    @WithDefault("30")
    int rawDays();

    /** How often the retention job runs (a Quarkus scheduler period such as 1h, or "off"). */
    @WithDefault("1h")
    String every();

    /** Rows deleted per transaction, so a large purge never holds locks for long. */
    @WithDefault("20000")
    int deleteBatch();
}
