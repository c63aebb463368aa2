package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One stored point in a history answer, written as the JSON array {@code [step, value]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"step", "value"})
public record RawPoint(long step, double value) {
}
