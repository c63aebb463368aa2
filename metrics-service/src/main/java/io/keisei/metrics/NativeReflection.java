package io.keisei.metrics;

import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.api.Bucket;
import io.keisei.contracts.api.ClockPoint;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.Game;
import io.keisei.contracts.api.GamePosition;
import io.keisei.contracts.api.GameSummary;
import io.keisei.contracts.api.LatestMetrics;
import io.keisei.contracts.api.MetricAttempt;
import io.keisei.contracts.api.MetricClock;
import io.keisei.contracts.api.MetricHistory;
import io.keisei.contracts.api.MetricPoint;
import io.keisei.contracts.api.MetricSeries;
import io.keisei.contracts.api.RawPoint;
import io.keisei.contracts.api.SessionEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image: the REST bodies of this service
 * (including the records nested in them) and the stream messages it decodes with the contracts codec.
 */
@RegisterForReflection(targets = {
        MetricHistory.class, MetricSeries.class, Bucket.class, RawPoint.class, MetricAttempt.class, MetricPoint.class,
        MetricClock.class, ClockPoint.class, SessionEvent.class, LatestMetrics.class, Game.class, GamePosition.class,
        GameSummary.class, FieldError.class,
        MetricUpdate.class, LifecycleEvent.class, CheckpointInfo.class, EventType.class, GameState.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
