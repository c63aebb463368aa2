package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * One training update on {@link Streams#METRICS}: the values of several metrics at one global timestep.
 * Points are identified by (session, step, metric name), which is what makes ingestion idempotent.
 *
 * @param session  session id
 * @param attempt  the attempt (1 for the first start, +1 per resume) that produced the point
 * @param step     global timestep, >= 0
 * @param time     wall time of the trainer's publish, epoch milliseconds
 * @param metrics  metric name to finite value; at least one
 */
public record MetricUpdate(@JsonProperty(required = true) int v, String session, @JsonProperty(required = true) int attempt, @JsonProperty(required = true) long step, @JsonProperty(required = true) long time, Map<String, Double> metrics)
        implements StreamMessage {

    public static final int VERSION = 1;

    public MetricUpdate {
        Checks.version(VERSION, v);
        Checks.required("session", session);
        if (attempt < 1) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field 'attempt' must be >= 1, was " + attempt);
        }
        Checks.nonNegative("step", step);
        Checks.nonNegative("time", time);
        metrics = Checks.finiteMetrics(metrics);
    }

    public static MetricUpdate of(String session, int attempt, long step, long time, Map<String, Double> metrics) {
        return new MetricUpdate(VERSION, session, attempt, step, time, metrics);
    }
}
