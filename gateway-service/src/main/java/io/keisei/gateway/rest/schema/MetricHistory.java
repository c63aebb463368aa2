package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The answer of getMetricHistory (metrics-service's MetricHistory). */
@Schema(name = "MetricHistory", description = "One series per requested metric. When paging raw points (cursor or "
        + "limit), nextCursor is set while more remain.")
public record MetricHistory(
        @Schema(required = true) String session,
        @Schema(description = "first step of the range") Long from,
        @Schema(description = "last step of the range (absent: open)") Long to,
        Integer maxPoints,
        @Schema(required = true) List<MetricSeries> series,
        @Schema(description = "pass as cursor= for the next page; absent on the last") String nextCursor,
        @Schema(description = "database rows the answer read") long rowsRead) {
}
