package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * The history of one metric in a requested range: either its raw points ({@code resolution = "raw"})
 * or buckets of {@code bucketSteps} steps ({@code resolution = "buckets"}, from tier {@code tier}).
 * Points and buckets are JSON arrays ({@link RawPoint}, {@link Bucket}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "MetricSeries", description = "One metric's history in the requested range: raw points, or buckets of "
        + "bucketSteps steps when the range holds more than max_points points.")
public record MetricSeries(
        @Schema(required = true) String metric,
        @Schema(required = true, enumeration = {MetricSeries.RAW, MetricSeries.BUCKETS}) String resolution,
        @Schema(description = "the aggregation tier the buckets come from (buckets only)") Integer tier,
        @Schema(description = "the width of a bucket in steps (buckets only)") Long bucketSteps,
        @Schema(implementation = double[][].class, description = "raw only: one [step, value] array per point, by step")
        List<RawPoint> points,
        @Schema(implementation = double[][].class, description = "buckets only: one [start, end, min, max, last, count] "
                + "array per bucket, by step; min and max keep every spike, last is the value at the highest step")
        List<Bucket> buckets) {

    public static final String RAW = "raw";
    public static final String BUCKETS = "buckets";
}
