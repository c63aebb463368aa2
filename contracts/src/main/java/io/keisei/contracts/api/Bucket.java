package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Aggregates of the points of one metric in the steps [start, end]: written as a JSON array
 * {@code [start, end, min, max, last, count]}; {@code last} is the value at the highest step.
 * Min and max keep every spike visible however far a chart zooms out.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"start", "end", "min", "max", "last", "count"})
public record Bucket(long start, long end, double min, double max, double last, long count) {
}
