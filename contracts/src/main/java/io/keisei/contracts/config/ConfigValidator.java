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
        return f.problem(v);
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
        JsonNode runName = c.get("logging").get("run_name");
        if (!runName.isNull() && !RUN_NAME.matcher(runName.asText()).matches()) {
            errors.add(new ConfigError("logging.run_name", RUN_NAME_RULE));
        }
        if (!LOG_FILE.matcher(c.get("logging").get("log_file").asText()).matches()) {
            errors.add(new ConfigError("logging.log_file", LOG_FILE_RULE));
        }
    }

    /**
     * logging.run_name: Keisei makes it a directory under --savedir (os.path.join), so "../x" would put the run outside
     * the session. The JSON Schema carries the pattern too (anchored), for the dashboard to check as the user types.
     */
    public static final String RUN_NAME_PATTERN = "(?!\\.{1,2}$)[A-Za-z0-9._-]{1,100}";
    public static final String RUN_NAME_RULE = "must be 1-100 of letters, digits and . _ - (not . or ..), or null";
    /**
     * logging.log_file: Keisei opens os.path.basename(log_file) in the run's directory (keisei/training/utils.py
     * setup_directories), so its last part must be a file name: not blank, not . or .. (the same in Java and ECMAScript).
     */
    public static final String LOG_FILE_PATTERN = "(?:[^/]*/)*(?!\\.{1,2}(?![\\s\\S]))[^/]*[^/ \\t\\n\\x0B\\f\\r][^/]*";
    public static final String LOG_FILE_RULE = "must end in a file name";

    private static final java.util.regex.Pattern RUN_NAME = java.util.regex.Pattern.compile(RUN_NAME_PATTERN);
    private static final java.util.regex.Pattern LOG_FILE = java.util.regex.Pattern.compile(LOG_FILE_PATTERN);

    /** Schedules whose length is the whole run (linear decay, cosine annealing). */
    private static final List<String> SCHEDULES_OVER_THE_RUN = List.of("linear", "cosine");
}
