package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keisei's config schema (sections env, training, evaluation, logging, wandb, parallel) with
 * Keisei's defaults and the bounds of its security plan. Unknown sections and keys are errors,
 * as in Keisei ({@code extra="forbid"}).
 */
public final class ConfigSchema {

    /** Upper bound of training.total_timesteps (Keisei security plan). */
    public static final long MAX_TOTAL_TIMESTEPS = 10_000_000L;

    public static final List<ConfigField> FIELDS = List.of(
            ConfigField.choice("env", "device", "cpu", List.of("cpu", "cuda"), "Device to train on"),
            ConfigField.integer("env", "input_channels", 46, 46L, 46L, "Observation planes (core46)"),
            ConfigField.integer("env", "num_actions_total", 13527, 13527L, 13527L, "Size of the action space"),
            ConfigField.integer("env", "seed", 42, 0L, (long) Integer.MAX_VALUE, "Random seed"),
            ConfigField.integer("env", "max_moves_per_game", 500, 1L, 10_000L, "Plies after which a game is a draw"),

            ConfigField.integer("training", "total_timesteps", 500_000, 1L, MAX_TOTAL_TIMESTEPS, "Environment steps to train for"),
            ConfigField.integer("training", "steps_per_epoch", 2048, 1L, 1_000_000L, "Steps collected per PPO update"),
            ConfigField.integer("training", "ppo_epochs", 10, 1L, 100L, "Passes over each batch"),
            ConfigField.integer("training", "minibatch_size", 64, 2L, 1_000_000L, "Minibatch size (> 1, <= steps_per_epoch)"),
            ConfigField.number("training", "learning_rate", 3e-4, 0.0, true, 1.0, "Adam learning rate, in (0, 1]"),
            ConfigField.number("training", "gamma", 0.99, 0.0, false, 1.0, "Discount factor"),
            ConfigField.number("training", "clip_epsilon", 0.2, 0.0, true, 1.0, "PPO clip range"),
            ConfigField.number("training", "value_loss_coeff", 0.5, 0.0, false, 100.0, "Weight of the value loss"),
            ConfigField.number("training", "entropy_coef", 0.01, 0.0, false, 1.0, "Weight of the entropy bonus"),
            ConfigField.number("training", "lambda_gae", 0.95, 0.0, false, 1.0, "GAE lambda"),
            ConfigField.number("training", "gradient_clip_max_norm", 0.5, 0.0, true, 1000.0, "Global gradient norm clip"),
            ConfigField.number("training", "weight_decay", 0.0, 0.0, false, 1.0, "L2 weight decay"),
            ConfigField.bool("training", "normalize_advantages", true, "Normalise advantages per batch"),
            ConfigField.choice("training", "input_features", "core46", List.of("core46"), "Observation feature set"),
            ConfigField.integer("training", "tower_depth", 9, 1L, 64L, "Model depth (residual blocks / hidden layers)"),
            ConfigField.integer("training", "tower_width", 256, 1L, 4096L, "Model width (channels / hidden units)"),
            ConfigField.number("training", "se_ratio", 0.25, 0.0, false, 1.0, "Squeeze-excitation ratio (Keisei ResNet)"),
            ConfigField.choice("training", "model_type", "resnet", List.of("resnet", "mlp"), "Model family"),
            ConfigField.bool("training", "mixed_precision", false, "Mixed precision (CUDA only)"),
            ConfigField.bool("training", "ddp", false, "Distributed data parallel"),
            ConfigField.integer("training", "checkpoint_interval_timesteps", 10_000, 1L, MAX_TOTAL_TIMESTEPS, "Steps between checkpoints"),
            ConfigField.integer("training", "evaluation_interval_timesteps", 50_000, 1L, MAX_TOTAL_TIMESTEPS, "Steps between evaluations"),
            ConfigField.choice("training", "lr_schedule_type", "none", List.of("none", "linear", "cosine", "exponential", "step"),
                    "Learning-rate schedule"),
            ConfigField.integer("training", "render_every_steps", 1, 1L, 1_000_000L, "Display refresh interval (steps)"),

            ConfigField.bool("evaluation", "enable_periodic_evaluation", true, "Evaluate during training"),
            ConfigField.integer("evaluation", "num_games", 20, 1L, 10_000L, "Games per evaluation"),
            ConfigField.choice("evaluation", "opponent_type", "random", List.of("random", "heuristic"), "Evaluation opponent"),
            ConfigField.choice("evaluation", "strategy", "single_opponent",
                    List.of("single_opponent", "tournament", "ladder", "benchmark", "custom"), "Evaluation strategy"),
            ConfigField.integer("evaluation", "max_moves_per_game", 500, 1L, 10_000L, "Plies after which an evaluation game is a draw"),
            ConfigField.bool("evaluation", "update_elo", true, "Maintain Elo ratings"),

            ConfigField.string("logging", "log_file", "logs/training_log.txt", false, "Training log file"),
            ConfigField.string("logging", "model_dir", "models/", false, "Model directory (Keisei)"),
            ConfigField.string("logging", "run_name", null, true, "Run name"),

            ConfigField.bool("wandb", "enabled", false, "Log to Weights & Biases"),
            ConfigField.string("wandb", "project", "keisei-shogi-rl", false, "W&B project"),
            ConfigField.string("wandb", "entity", null, true, "W&B entity"),
            ConfigField.string("wandb", "run_name_prefix", "keisei", false, "W&B run name prefix"),

            ConfigField.bool("parallel", "enabled", false, "Parallel experience collection"),
            ConfigField.integer("parallel", "num_workers", 4, 1L, 256L, "Collection workers"),
            ConfigField.integer("parallel", "batch_size", 32, 1L, 100_000L, "Worker batch size"),
            ConfigField.integer("parallel", "sync_interval", 100, 1L, 1_000_000L, "Steps between weight syncs"));

    private static final Map<String, ConfigField> BY_PATH = new LinkedHashMap<>();
    public static final Set<String> SECTIONS = new LinkedHashSet<>();

    static {
        for (ConfigField f : FIELDS) {
            BY_PATH.put(f.path(), f);
            SECTIONS.add(f.section());
        }
    }

    private ConfigSchema() {
    }

    public static ConfigField field(String section, String key) {
        return BY_PATH.get(section + "." + key);
    }

    /** The full default config as JSON. */
    public static ObjectNode defaults() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (ConfigField f : FIELDS) {
            ObjectNode section = root.has(f.section()) ? (ObjectNode) root.get(f.section()) : root.putObject(f.section());
            putValue(section, f.key(), f.defaultValue());
        }
        return root;
    }

    /** A JSON Schema (draft 2020-12) of the config, for forms and external validators. */
    public static ObjectNode jsonSchema() {
        ObjectNode schema = document("Keisei training config");
        ObjectNode props = (ObjectNode) schema.get("properties");
        for (String section : SECTIONS) {
            ObjectNode s = props.putObject(section);
            s.put("type", "object");
            s.put("additionalProperties", false);
            s.putObject("properties");
        }
        for (ConfigField f : FIELDS) {
            f.describeIn(((ObjectNode) props.get(f.section()).get("properties")).putObject(f.key()));
        }
        ObjectNode logging = (ObjectNode) props.get("logging").get("properties");
        pattern((ObjectNode) logging.get("run_name"), ConfigValidator.RUN_NAME_PATTERN, ConfigValidator.RUN_NAME_RULE);
        pattern((ObjectNode) logging.get("log_file"), ConfigValidator.LOG_FILE_PATTERN, ConfigValidator.LOG_FILE_RULE);
        return schema;
    }

    /** A rule the validator checks with a regular expression, for the schema's readers (anchored, as JSON Schema wants). */
    private static void pattern(ObjectNode property, String pattern, String rule) {
        property.put("pattern", "^" + pattern + "$");
        property.put(io.keisei.contracts.api.SessionRules.PATTERN_MESSAGE, rule);
    }

    /** A closed JSON Schema (draft 2020-12) object with this title and, as yet, no properties. */
    static ObjectNode document(String title) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("title", title);
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.putObject("properties");
        return schema;
    }

    static void putValue(ObjectNode node, String name, Object v) {
        if (v == null) {
            node.putNull(name);
        } else if (v instanceof Integer i) {
            node.put(name, i.longValue());
        } else if (v instanceof Long l) {
            node.put(name, l);
        } else if (v instanceof Double d) {
            node.put(name, d);
        } else if (v instanceof Boolean b) {
            node.put(name, b);
        } else {
            node.put(name, v.toString());
        }
    }
}
