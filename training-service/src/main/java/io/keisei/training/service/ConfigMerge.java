package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.contracts.config.InvalidConfigException;
import io.keisei.contracts.config.Keisei2025ConfigFile;
import io.keisei.training.launcher.TrainerProgram;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Overlays a user's partial config on a base and validates the result into a complete config. */
public final class ConfigMerge {

    private ConfigMerge() {
    }

    /**
     * The complete effective config in {@code dialect}, or a 400 problem with every field error (paths prefixed with
     * {@code prefix}).
     */
    public static ObjectNode effective(ConfigDialect dialect, JsonNode base, JsonNode overrides, String prefix) {
        JsonNode merged = overlay(base == null ? null : base.deepCopy(), overrides);
        try {
            return dialect.validate(merged);
        } catch (InvalidConfigException e) {
            throw problem(e, prefix);
        }
    }

    /**
     * The effective config for a trainer: valid in its dialect and, for the August-2025 Keisei, also one that Keisei
     * itself accepts (it builds fewer models than the built-in trainer), so a session is refused when it is created
     * rather than failing when it starts.
     */
    public static ObjectNode effective(TrainerProgram program, JsonNode base, JsonNode overrides, String prefix) {
        ObjectNode effective = effective(program.dialect(), base, overrides, prefix);
        if (!program.isBuiltin() && program.dialect() == ConfigDialect.KEISEI_2025) {
            try {
                Keisei2025ConfigFile.render(effective);
            } catch (InvalidConfigException e) {
                throw problem(e, prefix);
            }
        }
        return effective;
    }

    private static ProblemException problem(InvalidConfigException e, String prefix) {
        List<FieldError> errors = e.errors().stream().map(err -> new FieldError(path(prefix, err.field()), err.message())).toList();
        return ProblemException.badRequest("invalid config: " + e.getMessage(), errors);
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
