package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One key of the Keisei training config: its type, default, bounds and meaning. The table of
 * these ({@link ConfigSchema#FIELDS}) is the single source for defaults, validation and the JSON
 * Schema that drives the UI form.
 *
 * @param min          lower bound, or null
 * @param minExclusive whether the lower bound itself is invalid
 * @param max          upper bound (inclusive), or null
 * @param allowed      the allowed values of an enum field, else empty
 * @param nullable     whether JSON null is a valid value (e.g. an unset run name)
 */
public record ConfigField(String section, String key, Type type, Object defaultValue, Double min, boolean minExclusive,
                          Double max, List<String> allowed, boolean nullable, String description) {

    /** The longest value of a text field (not an enum), in characters. */
    public static final int MAX_TEXT_LENGTH = 500;

    /** JSON types of config values. */
    public enum Type {
        INTEGER, NUMBER, BOOLEAN, STRING, ENUM
    }

    public String path() {
        return section + "." + key;
    }

    /** Writes this field's JSON Schema keywords (type, enum, bounds, default, description) into {@code p}. */
    public void describeIn(ObjectNode p) {
        switch (type) {
            case INTEGER -> p.put("type", "integer");
            case NUMBER -> p.put("type", "number");
            case BOOLEAN -> p.put("type", "boolean");
            case STRING, ENUM -> {
                if (nullable) {
                    ArrayNode types = p.putArray("type");
                    types.add("string");
                    types.add("null");
                } else {
                    p.put("type", "string");
                }
                if (type == Type.STRING) {
                    p.put("maxLength", MAX_TEXT_LENGTH);
                }
                if (type == Type.ENUM) {
                    ArrayNode values = p.putArray("enum");
                    allowed.forEach(values::add);
                    if (nullable) {
                        values.addNull();
                    }
                }
            }
        }
        if (min != null) {
            if (minExclusive) {
                p.put("exclusiveMinimum", min);
            } else {
                putBound(p, "minimum", min);
            }
        }
        if (max != null) {
            putBound(p, "maximum", max);
        }
        if (defaultValue == null) {
            if (nullable) {
                p.putNull("default");
            }
        } else {
            ConfigSchema.putValue(p, "default", defaultValue);
        }
        p.put("description", description);
    }

    private void putBound(ObjectNode node, String name, double v) {
        if (type == Type.INTEGER) {
            node.put(name, (long) v);
        } else {
            node.put(name, v);
        }
    }

    /** What is wrong with {@code v} as this field's value (type, range, allowed values), or null when it is valid. */
    public String problem(JsonNode v) {
        if (v.isNull()) {
            return nullable ? null : "must not be null";
        }
        return switch (type) {
            case BOOLEAN -> v.isBoolean() ? null : "must be true or false";
            case STRING -> v.isTextual() ? (v.asText().length() > MAX_TEXT_LENGTH ? "must be at most " + MAX_TEXT_LENGTH
                    + " characters" : null) : "must be a string";
            case ENUM -> v.isTextual() && allowed.contains(v.asText()) ? null : "must be one of " + String.join(", ", allowed);
            case INTEGER -> !v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))
                    ? "must be an integer" : range(v.asDouble());
            case NUMBER -> !v.isNumber() ? "must be a number"
                    : Double.isNaN(v.asDouble()) || Double.isInfinite(v.asDouble()) ? "must be finite" : range(v.asDouble());
        };
    }

    private String range(double d) {
        boolean integer = type == Type.INTEGER;
        boolean belowMin = min != null && (minExclusive ? d <= min : d < min);
        if (!belowMin && (max == null || d <= max)) {
            return null;
        }
        if (min != null && max != null) {
            return "must be in " + (minExclusive ? "(" : "[") + fmt(min, integer) + ", " + fmt(max, integer) + "]";
        }
        return belowMin ? "must be " + (minExclusive ? "> " : ">= ") + fmt(min, integer) : "must be <= " + fmt(max, integer);
    }

    private static String fmt(double d, boolean integer) {
        if (integer || d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format("%,d", (long) d);
        }
        return String.valueOf(d);
    }

    static ConfigField integer(String section, String key, long def, Long min, Long max, String description) {
        return new ConfigField(section, key, Type.INTEGER, def, min == null ? null : min.doubleValue(), false,
                max == null ? null : max.doubleValue(), List.of(), false, description);
    }

    static ConfigField number(String section, String key, double def, Double min, boolean minExclusive, Double max,
                              String description) {
        return new ConfigField(section, key, Type.NUMBER, def, min, minExclusive, max, List.of(), false, description);
    }

    static ConfigField bool(String section, String key, boolean def, String description) {
        return new ConfigField(section, key, Type.BOOLEAN, def, null, false, null, List.of(), false, description);
    }

    static ConfigField string(String section, String key, String def, boolean nullable, String description) {
        return new ConfigField(section, key, Type.STRING, def, null, false, null, List.of(), nullable, description);
    }

    static ConfigField nullableChoice(String section, String key, String def, List<String> allowed, String description) {
        return new ConfigField(section, key, Type.ENUM, def, null, false, null, List.copyOf(allowed), true, description);
    }

    static ConfigField choice(String section, String key, String def, List<String> allowed, String description) {
        return new ConfigField(section, key, Type.ENUM, def, null, false, null, List.copyOf(allowed), false, description);
    }
}
