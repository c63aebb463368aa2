package io.keisei.metrics;

import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.rest.SessionMetricsResource;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image: the REST bodies of this service
 * (including the records nested in them) and the stream messages it decodes with the contracts codec.
 */
@RegisterForReflection(targets = {
        MetricHistory.class, Series.class, Bucket.class, RawPoint.class, Attempt.class, MetricPoint.class,
        SessionEvent.class, SessionMetricsResource.LatestMetrics.class, Game.class, GamePosition.class, GameSummary.class,
        MetricUpdate.class, LifecycleEvent.class, CheckpointInfo.class, EventType.class, GameState.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
