package io.keisei.gateway.hub;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Data of a training_update: a full snapshot or only the metrics that changed significantly.
 *
 * @param time when the trainer published the newest record folded in (ms since epoch)
 * @param stepsPerSecond the session's smoothed speed ({@link io.keisei.gateway.progress.ProgressRate}), the one behind
 *                       every ETA; absent while it cannot be said yet and in replayed records
 */
public record TrainingUpdate(boolean full, int attempt, long step, long time, Map<String, Double> metrics,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Double stepsPerSecond) {

    /** Folds a newer update into this unsent one: newer values win, a full one stays full. */
    public TrainingUpdate mergedWith(TrainingUpdate newer) {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.putAll(newer.metrics);
        return new TrainingUpdate(full || newer.full, newer.attempt, newer.step, newer.time, m,
                newer.stepsPerSecond != null ? newer.stepsPerSecond : stepsPerSecond);
    }
}
