package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A history answer: one series per requested metric. {@code nextCursor} is set only when paging raw
 * points and more remain. {@code rowsRead} counts the database rows the answer read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricHistory(String session, Long from, Long to, Integer maxPoints, List<Series> series,
                            String nextCursor, long rowsRead) {
}
