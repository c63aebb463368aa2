package io.keisei.gateway;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.EvaluationInfo;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.SystemStatus;
import io.keisei.gateway.audit.AuditLog;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Role;
import io.keisei.gateway.auth.TokenStore;
import io.keisei.gateway.client.DownstreamHealth;
import io.keisei.gateway.hub.Envelope;
import io.keisei.gateway.hub.HubStats;
import io.keisei.gateway.hub.TrainingUpdate;
import io.keisei.gateway.perf.EndpointStats;
import io.keisei.gateway.perf.LatencyHistogram;
import io.keisei.gateway.rest.AuthResource;
import io.keisei.gateway.rest.PerformanceResource;
import io.keisei.gateway.service.SessionStatusView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes by reflection in a native image outside Quarkus REST's own
 * registration: the WebSocket envelopes and their payloads (serialized by the hub), the stream
 * messages decoded with the contracts codec, and the records the REST answers are built from.
 */
@RegisterForReflection(targets = {
        Envelope.class, TrainingUpdate.class, MetricUpdate.class, GameState.class, LifecycleEvent.class, SystemStatus.class,
        EvaluationInfo.class,
        GpuStatus.class, AllocationInfo.class, CheckpointInfo.class, EventType.class,
        SessionStatusView.class, SessionStatusView.Allocation.class, SessionStatusView.Game.class,
        AuthResource.Me.class, AuthResource.NewToken.class, TokenStore.TokenInfo.class, TokenStore.CreatedToken.class, Role.class, Permission.class,
        AuditLog.Entry.class, PerformanceResource.Performance.class, EndpointStats.Row.class, LatencyHistogram.Summary.class,
        HubStats.WebSocketStats.class, DownstreamHealth.ServiceHealth.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
