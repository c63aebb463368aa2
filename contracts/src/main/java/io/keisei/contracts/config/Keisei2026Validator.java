package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a (possibly partial) keisei-train 2026 config ({@link Keisei2026Schema}) and completes it with Keisei's
 * defaults. Reports every problem at once, each with its field path, as {@link ConfigValidator} does for the 2025
 * dialect.
 */
public final class Keisei2026Validator {

    private static final Map<String, List<ConfigField>> FIXED = fixedTables();

    private Keisei2026Validator() {
    }

    private static Map<String, List<ConfigField>> fixedTables() {
        Map<String, List<ConfigField>> m = new LinkedHashMap<>();
        for (ConfigField f : Keisei2026Schema.FIELDS) {
            m.computeIfAbsent(f.section(), k -> new ArrayList<>()).add(f);
        }
        m.put("training.algorithm_params", Keisei2026Schema.KATAGO_PPO_PARAMS);
        return m;
    }

    /** The complete effective config, or {@link InvalidConfigException} with every error. */
    public static ObjectNode validate(JsonNode user) {
        List<ConfigError> errors = new ArrayList<>();
        ObjectNode merged = Keisei2026Schema.defaults();
        if (user != null && !user.isNull() && !user.isMissingNode()) {
            if (!user.isObject()) {
                errors.add(new ConfigError("$", "config must be a JSON object (the TOML document's tables)"));
            } else {
                mergeDocument((ObjectNode) user, merged, errors);
            }
        }
        if (errors.isEmpty()) {
            modelParams(merged, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return merged;
    }

    private static void mergeDocument(ObjectNode user, ObjectNode merged, List<ConfigError> errors) {
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            String name = table.getKey();
            if (!table.getValue().isObject()) {
                errors.add(new ConfigError(name, "must be a table (a JSON object)"));
            } else if (Keisei2026Schema.PASSTHROUGH_TABLES.contains(name)) {
                noNulls(name, table.getValue(), errors);
                merged.set(name, table.getValue().deepCopy());
            } else if (FIXED.containsKey(name)) {
                mergeTable(name, (ObjectNode) table.getValue(), merged, errors);
            } else {
                errors.add(new ConfigError(name, "unknown table (known: model, training, display, run, resources, "
                        + String.join(", ", Keisei2026Schema.PASSTHROUGH_TABLES.stream().sorted().toList()) + ")"));
            }
        }
    }

    private static void mergeTable(String path, ObjectNode user, ObjectNode merged, List<ConfigError> errors) {
        ObjectNode target = Keisei2026Schema.table(merged, path);
        List<ConfigField> fields = FIXED.get(path);
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path + "." + e.getKey();
            JsonNode v = e.getValue();
            if (Keisei2026Schema.SERVER_OWNED.containsKey(key)) {
                errors.add(new ConfigError(key, Keisei2026Schema.SERVER_OWNED.get(key)));
            } else if ("model.params".equals(key)) {
                if (!v.isObject()) {
                    errors.add(new ConfigError(key, "must be a table (a JSON object)"));
                } else {
                    target.set("params", v.deepCopy());
                }
            } else if (FIXED.containsKey(key)) {
                if (v.isObject()) {
                    mergeTable(key, (ObjectNode) v, merged, errors);
                } else {
                    errors.add(new ConfigError(key, "must be a table (a JSON object)"));
                }
            } else {
                ConfigField field = fields.stream().filter(f -> f.key().equals(e.getKey())).findFirst().orElse(null);
                if (field == null) {
                    errors.add(new ConfigError(key, "unknown key (known: " + String.join(", ", known(path, fields)) + ")"));
                    continue;
                }
                String problem = field.problem(v);
                if (problem != null) {
                    errors.add(new ConfigError(key, problem));
                } else {
                    target.set(e.getKey(), field.type() == ConfigField.Type.INTEGER ? target.numberNode(v.asLong()) : v);
                }
            }
        }
    }

    private static List<String> known(String path, List<ConfigField> fields) {
        List<String> names = new ArrayList<>(fields.stream().map(ConfigField::key).toList());
        switch (path) {
            case "model" -> names.add("params");
            case "training" -> names.add("algorithm_params");
            default -> {
            }
        }
        return names;
    }

    /** model.params: only the keys of the chosen architecture, its required ones present, SE-ResNet's defaults filled in. */
    private static void modelParams(ObjectNode merged, List<ConfigError> errors) {
        ObjectNode model = (ObjectNode) merged.get("model");
        String architecture = model.get("architecture").asText();
        ObjectNode params = (ObjectNode) model.get("params");
        if ("mlp".equals(architecture)) {
            mlpParams(params, errors);
            return;
        }
        List<ConfigField> fields = Keisei2026Schema.MODEL_PARAMS.get(architecture);
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigField field = fields.stream().filter(f -> f.key().equals(e.getKey())).findFirst().orElse(null);
            String key = "model.params." + e.getKey();
            if (field == null) {
                errors.add(new ConfigError(key, "not a parameter of architecture " + architecture + " (known: "
                        + String.join(", ", fields.stream().map(ConfigField::key).toList()) + ")"));
            } else if (field.problem(e.getValue()) != null) {
                errors.add(new ConfigError(key, field.problem(e.getValue())));
            }
        }
        for (ConfigField f : fields) {
            if (!params.has(f.key())) {
                if (f.defaultValue() == null) {
                    errors.add(new ConfigError("model.params." + f.key(), "is required for architecture " + architecture));
                } else {
                    ConfigSchema.putValue(params, f.key(), f.defaultValue());
                }
            }
        }
        if ("transformer".equals(architecture) && errors.isEmpty()
                && params.get("d_model").asLong() % params.get("nhead").asLong() != 0) {
            errors.add(new ConfigError("model.params.d_model", "must be divisible by model.params.nhead ("
                    + params.get("nhead").asLong() + ")"));
        }
    }

    private static void mlpParams(ObjectNode params, List<ConfigError> errors) {
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!"hidden_sizes".equals(k)) {
                errors.add(new ConfigError("model.params." + k, "not a parameter of architecture mlp (known: hidden_sizes)"));
            }
        }
        JsonNode sizes = params.get("hidden_sizes");
        if (sizes == null) {
            errors.add(new ConfigError("model.params.hidden_sizes", "is required for architecture mlp"));
        } else if (!sizes.isArray() || sizes.isEmpty()) {
            errors.add(new ConfigError("model.params.hidden_sizes", "must be a non-empty list of widths"));
        } else {
            for (JsonNode s : sizes) {
                if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 1) {
                    errors.add(new ConfigError("model.params.hidden_sizes", "every width must be an integer >= 1"));
                    break;
                }
            }
        }
    }

    /** TOML has no null: a null in a passed-through table could not be written. */
    private static void noNulls(String path, JsonNode v, List<ConfigError> errors) {
        if (v.isNull()) {
            errors.add(new ConfigError(path, "TOML has no null value: leave the key out"));
        } else if (v.isObject()) {
            v.fields().forEachRemaining(e -> noNulls(path + "." + e.getKey(), e.getValue(), errors));
        } else if (v.isArray()) {
            v.forEach(x -> noNulls(path, x, errors));
        }
    }
}
