package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One value of one metric (metrics-service's MetricPoint). */
@Schema(name = "MetricPoint", description = "One value of one metric at one global timestep.")
public record MetricPoint(@Schema(required = true) long step, @Schema(required = true) double value) {
}
