package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The history of one metric in a range (metrics-service's Series; its points and buckets are JSON arrays). */
@Schema(name = "MetricSeries", description = "One metric's history in the requested range: raw points, or buckets of "
        + "bucketSteps steps when the range holds more than max_points points.")
public record MetricSeries(
        @Schema(required = true) String metric,
        @Schema(required = true, enumeration = {"raw", "buckets"}) String resolution,
        @Schema(description = "the aggregation tier the buckets come from (buckets only)") Integer tier,
        @Schema(description = "the width of a bucket in steps (buckets only)") Long bucketSteps,
        @Schema(description = "raw only: one [step, value] array per point, by step") List<List<Double>> points,
        @Schema(description = "buckets only: one [start, end, min, max, last, count] array per bucket, by step; min and max "
                + "keep every spike, last is the value at the highest step") List<List<Double>> buckets) {
}
