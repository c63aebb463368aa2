package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A session's clock: when the trainer reported which step, sampled evenly over a step range, with the range's
 * first and last reported steps always included, so that a chart can put any step on a wall-clock or relative-time
 * axis by interpolating between neighbouring samples. Points are {@link ClockPoint} arrays, by step.
 */
@Schema(name = "MetricClock", description = "When the trainer reported which step: [step, epochMillis] samples spread "
        + "evenly over the step range, by step, always with the range's first and last reported step. Interpolate "
        + "between neighbours to put any step on a time axis. Steps whose raw points retention deleted have no clock.")
public record MetricClock(
        @Schema(required = true) String session,
        @Schema(required = true, implementation = long[][].class, description = "one [step, epochMillis] array per "
                + "sample, by step; epochMillis is the trainer's wall time for that step in milliseconds since "
                + "1970-01-01T00:00:00Z; empty when the session has no raw points in the range")
        List<ClockPoint> points) {
}
