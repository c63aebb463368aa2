package io.keisei.gateway.hub;

import io.keisei.gateway.config.GatewayConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides which metric changes are worth a differential update (the plan's significance thresholds,
 * mapped to Keisei's metric names, overridable per metric). Metrics without an absolute threshold
 * use a relative one.
 */
public final class SignificanceFilter {

    /** The plan's thresholds (performance-plan.md, StateUpdateOptimizer) under Keisei's names. */
    public static final Map<String, Double> PLAN_THRESHOLDS = Map.of(
            "episodes_completed", 1.0,
            "episode_reward_mean", 0.01,
            "ppo/policy_loss", 0.001,
            "steps_per_second", 10.0);

    private final Map<String, Double> absolute;
    private final double relative;

    public SignificanceFilter(Map<String, Double> overrides, double relative) {
        Map<String, Double> m = new LinkedHashMap<>(PLAN_THRESHOLDS);
        m.putAll(overrides);
        this.absolute = Map.copyOf(m);
        this.relative = relative;
    }

    public static SignificanceFilter of(GatewayConfig.Ws config) {
        return new SignificanceFilter(config.thresholds(), config.defaultRelativeThreshold());
    }

    /** The metrics of {@code current} that moved significantly since {@code lastSent} (or were never sent). */
    public Map<String, Double> changes(Map<String, Double> lastSent, Map<String, Double> current) {
        Map<String, Double> out = new LinkedHashMap<>();
        current.forEach((name, value) -> {
            Double before = lastSent.get(name);
            if (before == null || significant(name, before, value)) {
                out.put(name, value);
            }
        });
        return out;
    }

    boolean significant(String name, double before, double now) {
        double change = Math.abs(now - before);
        Double abs = absolute.get(name);
        if (abs != null) {
            return change >= abs;
        }
        double scale = Math.max(Math.abs(before), Math.abs(now));
        return scale == 0 ? false : change / scale >= relative;
    }
}
