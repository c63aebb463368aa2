package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The history of one metric in a requested range: either its raw points ({@code resolution = "raw"})
 * or buckets of {@code bucketSteps} steps ({@code resolution = "buckets"}, from tier {@code tier}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Series(String metric, String resolution, Integer tier, Long bucketSteps, List<RawPoint> points,
                     List<Bucket> buckets) {

    public static final String RAW = "raw";
    public static final String BUCKETS = "buckets";

    public static Series raw(String metric, List<RawPoint> points) {
        return new Series(metric, RAW, null, null, points, null);
    }

    public static Series buckets(String metric, int k, List<Bucket> buckets) {
        return new Series(metric, BUCKETS, k, TierLevels.width(k), null, buckets);
    }

    /** How many points or buckets this series carries. */
    public int size() {
        return points != null ? points.size() : buckets.size();
    }
}
