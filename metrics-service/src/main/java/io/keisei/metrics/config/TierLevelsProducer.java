package io.keisei.metrics.config;

import io.keisei.metrics.TierLevels;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Validates the configured tier set once and shares it. */
public class TierLevelsProducer {

    @Produces
    @Singleton
    TierLevels tierLevels(TierConfig config) {
        return new TierLevels(config.levels());
    }
}
