package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One sample of a session's clock: a training step and the wall time at which the trainer reported it, in
 * milliseconds since the epoch, written as the JSON array {@code [step, epochMillis]}.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"step", "epochMillis"})
public record ClockPoint(long step, long epochMillis) {
}
