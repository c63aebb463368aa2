package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** The newest value of every metric of a session (metrics-service's /sessions/{id}/latest). */
@Schema(name = "LatestMetrics", description = "The newest value of every metric of a session.")
public record LatestMetrics(
        @Schema(required = true) String session,
        @Schema(description = "the highest step among the values (0 before any)") long step,
        @Schema(required = true, description = "by metric name, e.g. ppo/policy_loss") Map<String, MetricPoint> metrics) {
}
