package io.keisei.contracts;

import java.util.Map;

/** Field checks shared by the message records; failures name the field so errors are actionable. */
final class Checks {

    private Checks() {
    }

    static String required(String field, String value) {
        if (value == null) {
            throw new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, "missing field '" + field + "'");
        }
        if (value.isBlank()) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field '" + field + "' must not be blank");
        }
        return value;
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, "missing field '" + field + "'");
        }
        return value;
    }

    static long nonNegative(String field, Long value) {
        present(field, value);
        if (value < 0) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                    "field '" + field + "' must be >= 0, was " + value);
        }
        return value;
    }

    static int version(int supported, Integer v) {
        if (v == null) {
            throw new MessageFormatException(MessageFormatException.Kind.MISSING_FIELD, "missing field 'v'");
        }
        if (v != supported) {
            throw new MessageFormatException(MessageFormatException.Kind.UNKNOWN_VERSION,
                    "unsupported message version " + v + " (this build understands v" + supported + ")");
        }
        return v;
    }

    static double finite(String field, Double value) {
        present(field, value);
        if (value.isNaN() || value.isInfinite()) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                    "field '" + field + "' must be a finite number, was " + value);
        }
        return value;
    }

    static Map<String, Double> finiteMetrics(Map<String, Double> metrics) {
        present("metrics", metrics);
        if (metrics.isEmpty()) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE, "field 'metrics' must not be empty");
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (!MetricNames.isValid(e.getKey())) {
                throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                        "invalid metric name '" + e.getKey() + "'");
            }
            finite("metrics." + e.getKey(), e.getValue());
        }
        return Map.copyOf(metrics);
    }
}
