package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One stored value of one metric at one global timestep. */
@Schema(name = "MetricPoint", description = "One value of one metric at one global timestep.")
public record MetricPoint(@Schema(required = true) long step, @Schema(required = true) double value) {
}
