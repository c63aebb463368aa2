package io.keisei.contracts.config;

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

    /** JSON types of config values. */
    public enum Type {
        INTEGER, NUMBER, BOOLEAN, STRING, ENUM
    }

    public String path() {
        return section + "." + key;
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

    static ConfigField choice(String section, String key, String def, List<String> allowed, String description) {
        return new ConfigField(section, key, Type.ENUM, def, null, false, null, List.copyOf(allowed), false, description);
    }
}
