package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.FieldError;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.contracts.config.InvalidConfigException;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Overlays a user's partial config on a base and validates the result into a complete config. */
public final class ConfigMerge {

    private ConfigMerge() {
    }

    /** The complete effective config, or a 400 problem with every field error (paths prefixed with {@code prefix}). */
    public static ObjectNode effective(JsonNode base, JsonNode overrides, String prefix) {
        JsonNode merged = overlay(base == null ? null : base.deepCopy(), overrides);
        try {
            return ConfigValidator.validate(merged).effective();
        } catch (InvalidConfigException e) {
            List<FieldError> errors = e.errors().stream().map(err -> new FieldError(path(prefix, err.field()), err.message())).toList();
            throw ProblemException.badRequest("invalid config: " + e.getMessage(), errors);
        }
    }

    private static String path(String prefix, String field) {
        if ("$".equals(field)) {
            return prefix.isEmpty() ? "config" : prefix;
        }
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    static JsonNode overlay(JsonNode base, JsonNode overrides) {
        if (overrides == null || overrides.isNull()) {
            return base;
        }
        if (base == null || !base.isObject() || !overrides.isObject()) {
            return overrides;
        }
        ObjectNode out = (ObjectNode) base;
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = out.get(e.getKey());
            out.set(e.getKey(), existing != null && existing.isObject() && e.getValue().isObject()
                    ? overlay(existing, e.getValue()) : e.getValue());
        }
        return out;
    }
}
