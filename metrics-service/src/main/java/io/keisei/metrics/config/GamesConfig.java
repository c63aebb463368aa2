package io.keisei.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How many games metrics-service keeps. Env: KEISEI_METRICS_GAMES_KEEP_PER_SESSION,
 * KEISEI_METRICS_GAMES_CLEANUP_EVERY ("off" disables the clean-up).
 */
@ConfigMapping(prefix = "keisei.metrics.games")
public interface GamesConfig {

    /** The newest games of each session that are kept (by first seen); older ones are deleted. */
    @WithDefault("200")
    int keepPerSession();

    /** How often older games are deleted (a Quarkus scheduler period such as 5m, or "off"). */
    @WithDefault("5m")
    String cleanupEvery();
}
