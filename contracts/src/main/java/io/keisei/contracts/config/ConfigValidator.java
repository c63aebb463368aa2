package io.keisei.contracts.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a user's (possibly partial) Keisei config and merges it over the defaults. Reports
 * every problem at once, each with its field path: unknown sections and keys, wrong types,
 * out-of-range values, unknown enum values, and cross-field rules.
 */
public final class ConfigValidator {

    private ConfigValidator() {
    }

    /** Validates and completes a config, or throws {@link InvalidConfigException} with all errors. */
    public static TrainingConfig validate(JsonNode user) {
        List<ConfigError> errors = new ArrayList<>();
        ObjectNode merged = merge(user, errors);
        if (errors.isEmpty()) {
            crossFieldRules(merged, errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return TrainingConfig.fromEffective(merged);
    }

    /** Parses JSON text first; malformed JSON is a single error on the root. */
    public static TrainingConfig validate(String json) {
        try {
            return validate(TrainingConfig.SNAKE.readTree(json));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            throw new InvalidConfigException(List.of(new ConfigError("$", "malformed JSON: " + msg)));
        }
    }

    /** The errors of a config, empty when valid. */
    public static List<ConfigError> errors(JsonNode user) {
        try {
            validate(user);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.errors();
        }
    }

    private static ObjectNode merge(JsonNode user, List<ConfigError> errors) {
        ObjectNode merged = ConfigSchema.defaults();
        if (user == null || user.isNull() || user.isMissingNode()) {
            return merged;
        }
        if (!user.isObject()) {
            errors.add(new ConfigError("$", "config must be a JSON object"));
            return merged;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            if (!ConfigSchema.SECTIONS.contains(section.getKey())) {
                errors.add(new ConfigError(section.getKey(), "unknown section (known: " + String.join(", ", ConfigSchema.SECTIONS) + ")"));
                continue;
            }
            if (!section.getValue().isObject()) {
                errors.add(new ConfigError(section.getKey(), "must be an object"));
                continue;
            }
            ObjectNode target = (ObjectNode) merged.get(section.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> fit = section.getValue().fields(); fit.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fit.next();
                ConfigField field = ConfigSchema.field(section.getKey(), entry.getKey());
                String path = section.getKey() + "." + entry.getKey();
                if (field == null) {
                    errors.add(new ConfigError(path, "unknown key"));
                    continue;
                }
                String problem = check(field, entry.getValue());
                if (problem != null) {
                    errors.add(new ConfigError(path, problem));
                } else {
                    target.set(entry.getKey(), normalise(field, entry.getValue()));
                }
            }
        }
        return merged;
    }

    private static String check(ConfigField f, JsonNode v) {
        if (v.isNull()) {
            return f.nullable() ? null : "must not be null";
        }
        switch (f.type()) {
            case BOOLEAN:
                return v.isBoolean() ? null : "must be true or false";
            case STRING:
                return v.isTextual() ? (v.asText().length() > 500 ? "must be at most 500 characters" : null) : "must be a string";
            case ENUM:
                if (!v.isTextual() || !f.allowed().contains(v.asText())) {
                    return "must be one of " + String.join(", ", f.allowed());
                }
                return null;
            case INTEGER:
                if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble()))) {
                    return "must be an integer";
                }
                return range(f, v.asDouble());
            case NUMBER:
                if (!v.isNumber()) {
                    return "must be a number";
                }
                if (Double.isNaN(v.asDouble()) || Double.isInfinite(v.asDouble())) {
                    return "must be finite";
                }
                return range(f, v.asDouble());
            default:
                return null;
        }
    }

    private static String range(ConfigField f, double d) {
        boolean integer = f.type() == ConfigField.Type.INTEGER;
        if (f.min() != null && (f.minExclusive() ? d <= f.min() : d < f.min())) {
            return f.max() != null ? "must be in " + (f.minExclusive() ? "(" : "[") + fmt(f.min(), integer) + ", " + fmt(f.max(), integer) + "]"
                    : "must be " + (f.minExclusive() ? "> " : ">= ") + fmt(f.min(), integer);
        }
        if (f.max() != null && d > f.max()) {
            return f.min() != null ? "must be in " + (f.minExclusive() ? "(" : "[") + fmt(f.min(), integer) + ", " + fmt(f.max(), integer) + "]"
                    : "must be <= " + fmt(f.max(), integer);
        }
        return null;
    }

    private static String fmt(double d, boolean integer) {
        if (integer || d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format("%,d", (long) d);
        }
        return String.valueOf(d);
    }

    private static JsonNode normalise(ConfigField f, JsonNode v) {
        if (f.type() == ConfigField.Type.INTEGER && !v.isNull()) {
            return TrainingConfig.SNAKE.getNodeFactory().numberNode(v.asLong());
        }
        return v;
    }

    private static void crossFieldRules(ObjectNode c, List<ConfigError> errors) {
        JsonNode t = c.get("training");
        if (t.get("minibatch_size").asLong() > t.get("steps_per_epoch").asLong()) {
            errors.add(new ConfigError("training.minibatch_size",
                    "must be <= training.steps_per_epoch (" + t.get("steps_per_epoch").asLong() + ")"));
        }
        String device = c.get("env").get("device").asText();
        if (t.get("mixed_precision").asBoolean() && !"cuda".equals(device)) {
            errors.add(new ConfigError("training.mixed_precision", "requires env.device = cuda"));
        }
        if (t.get("ddp").asBoolean() && !"cuda".equals(device)) {
            errors.add(new ConfigError("training.ddp", "requires env.device = cuda"));
        }
        String schedule = t.get("lr_schedule_type").asText();
        if (SCHEDULES_OVER_THE_RUN.contains(schedule) && t.get("total_timesteps").asLong() < t.get("steps_per_epoch").asLong()) {
            // Keisei's SchedulerFactory spreads these over (total_timesteps // steps_per_epoch) * ppo_epochs steps
            // and refuses 0 (keisei/core/scheduler_factory.py at 1ea1111).
            errors.add(new ConfigError("training.lr_schedule_type", schedule + " needs training.total_timesteps >= "
                    + "training.steps_per_epoch (" + t.get("steps_per_epoch").asLong() + "): it is spread over whole epochs"));
        }
        if (!namesAFile(c.get("logging").get("log_file").asText())) {
            // Keisei opens os.path.basename(log_file) in the run's directory (keisei/training/utils.py setup_directories).
            errors.add(new ConfigError("logging.log_file", "must end in a file name"));
        }
    }

    /** Schedules whose length is the whole run (linear decay, cosine annealing). */
    private static final List<String> SCHEDULES_OVER_THE_RUN = List.of("linear", "cosine");

    /** Whether a path's last part, as Python's os.path.basename reads it, is a file name. */
    private static boolean namesAFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return !name.isBlank() && !name.equals(".") && !name.equals("..");
    }
}
