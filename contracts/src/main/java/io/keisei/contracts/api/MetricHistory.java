package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * A history answer: one series per requested metric. {@code nextCursor} is set only when paging raw
 * points and more remain. {@code rowsRead} counts the database rows the answer read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
