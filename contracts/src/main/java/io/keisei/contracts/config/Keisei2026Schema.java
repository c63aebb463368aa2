package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The config of today's Keisei ({@code keisei-train CONFIG.toml}, upstream 2026), as the JSON form of its TOML
 * document: tables {@code model}, {@code model.params}, {@code training}, {@code training.algorithm_params},
 * {@code display}, {@code run}, and {@code league}, {@code distributed}, {@code demonstrator} passed through,
 * plus our own {@code resources} table, which never reaches Keisei.
 *
 * <p>The keys, defaults and bounds mirror Keisei's own loading at upstream 08747e1 ({@code keisei/config.py
 * load_config}, {@code algorithm_registry.KataGoPPOParams}, {@code model_registry} params classes), so that most
 * mistakes are answered field by field before anything is launched; the trainer wrapper still runs Keisei's own
 * loading first and fails fast with its message for what is only checked there (the league tables).
 */
public final class Keisei2026Schema {

    /** Tables Keisei reads that we pass through unchecked: Keisei's own loading validates them. */
    public static final Set<String> PASSTHROUGH_TABLES = Set.of("league", "distributed", "demonstrator");

    /** Our table: what the session asks resource-service for. Removed from the file Keisei reads. */
    public static final String RESOURCES = "resources";

    /**
     * Keys the suite sets itself, to the session's own directories, so that every attempt of a session finds the
     * same database and checkpoints (that is how Keisei resumes) and no config can make a trainer write elsewhere.
     */
    public static final Map<String, String> SERVER_OWNED = Map.of(
            "training.checkpoint_dir", "set by Keisei Web UI to the session's checkpoint directory; remove it",
            "display.db_path", "set by Keisei Web UI to the session's database; remove it");

    public static final List<String> ARCHITECTURES = List.of("se_resnet", "resnet", "mlp", "transformer");

    /** Scalar keys of the tables with a fixed set of keys (Keisei rejects unknown keys in each of them). */
    public static final List<ConfigField> FIELDS = List.of(
            ConfigField.string("model", "display_name", "Player", false, "Name shown for the learner"),
            // Keisei's own default is resnet, whose sizes have no defaults: a document without [model] would not load.
            // se_resnet's have, so an empty config here is one Keisei runs.
            ConfigField.choice("model", "architecture", "se_resnet", ARCHITECTURES, "Network architecture"),

            ConfigField.integer("training", "num_games", 8, 1L, 512L, "Parallel self-play games (1-512)"),
            ConfigField.integer("training", "max_ply", 500, 1L, 100_000L, "Plies after which a game is truncated"),
            ConfigField.choice("training", "algorithm", "katago_ppo", List.of("katago_ppo"), "Learning algorithm"),
            ConfigField.integer("training", "checkpoint_interval", 50, 1L, 1_000_000L, "Epochs between checkpoints"),
            ConfigField.bool("training", "use_amp", false, "Automatic mixed precision (CUDA)"),

            ConfigField.integer("display", "moves_per_minute", 30, 0L, 100_000L,
                    "Pace of the live games Keisei writes (0 = none: no live board)"),

            ConfigField.integer("run", "default_epochs", 1000, 1L, 100_000_000L, "Epochs to train in all; the wrapper passes those not yet done as keisei-train --epochs"),

            ConfigField.integer(RESOURCES, "gpus", 1, 0L, 16L, "GPUs to request for the trainer (not passed to Keisei)"));

    /** Keys of {@code training.algorithm_params} for katago_ppo ({@code KataGoPPOParams} and its checks). */
    public static final List<ConfigField> KATAGO_PPO_PARAMS = List.of(
            ConfigField.number("training.algorithm_params", "learning_rate", 2e-4, 0.0, true, 1.0, "Learning rate (> 0)"),
            ConfigField.number("training.algorithm_params", "gamma", 0.99, 0.0, false, 1.0, "Discount factor"),
            ConfigField.number("training.algorithm_params", "gae_lambda", 0.95, 0.0, false, 1.0, "GAE lambda"),
            ConfigField.number("training.algorithm_params", "clip_epsilon", 0.2, 0.0, false, 10.0, "PPO clip range"),
            ConfigField.integer("training.algorithm_params", "epochs_per_batch", 4, 1L, 1000L, "Passes over each batch"),
            ConfigField.integer("training.algorithm_params", "batch_size", 256, 1L, 1_000_000L, "Minibatch size"),
            ConfigField.number("training.algorithm_params", "lambda_policy", 1.0, 0.0, false, 1000.0, "Policy loss weight"),
            ConfigField.number("training.algorithm_params", "lambda_value", 1.5, 0.0, false, 1000.0, "Value loss weight"),
            ConfigField.number("training.algorithm_params", "lambda_score", 0.02, 0.0, false, 1000.0, "Score loss weight"),
            ConfigField.number("training.algorithm_params", "lambda_entropy", 0.01, 0.0, false, 1000.0, "Entropy bonus weight"),
            ConfigField.number("training.algorithm_params", "score_normalization", 76.0, 0.0, true, 100_000.0,
                    "Divisor of score targets"),
            ConfigField.number("training.algorithm_params", "grad_clip", 1.0, 0.0, true, 1000.0, "Gradient norm clip (> 0)"),
            ConfigField.bool("training.algorithm_params", "use_amp", false, "Mixed precision in the update"),
            ConfigField.nullableChoice("training.algorithm_params", "compile_mode", null,
                    List.of("default", "reduce-overhead", "max-autotune"), "torch.compile mode (none: not compiled)"),
            ConfigField.bool("training.algorithm_params", "compile_dynamic", true, "torch.compile with dynamic shapes"),
            ConfigField.integer("training.algorithm_params", "entropy_decay_epochs", 0, 0L, 1_000_000L,
                    "Epochs over which the entropy weight decays"),
            ConfigField.number("training.algorithm_params", "score_blend_alpha", 0.0, 0.0, false, 1.0,
                    "Blend of score lead into the GAE value"),
            ConfigField.bool("training.algorithm_params", "use_terminated_for_gae", true, "Bootstrap on truncation only"));

    /** Keys of {@code model.params} per architecture (Keisei's params classes; no key outside these is accepted). */
    public static final Map<String, List<ConfigField>> MODEL_PARAMS = modelParams();

    private Keisei2026Schema() {
    }

    private static Map<String, List<ConfigField>> modelParams() {
        Map<String, List<ConfigField>> m = new LinkedHashMap<>();
        m.put("se_resnet", List.of(
                positive("num_blocks", 40, "Residual blocks"), positive("channels", 256, "Channels"),
                positive("se_reduction", 16, "Squeeze-excitation reduction"),
                positive("global_pool_channels", 128, "Global pooling channels"),
                positive("policy_channels", 32, "Policy head channels"), positive("value_fc_size", 256, "Value head width"),
                positive("score_fc_size", 128, "Score head width"), positive("obs_channels", 50, "Observation planes")));
        m.put("resnet", List.of(required("hidden_size", "Channels"), required("num_layers", "Residual blocks")));
        m.put("transformer", List.of(required("d_model", "Model width"), required("nhead", "Attention heads"),
                required("num_layers", "Layers")));
        // mlp takes hidden_sizes, a list of widths; lists are left to Keisei's own loading.
        m.put("mlp", List.of());
        return Map.copyOf(m);
    }

    private static ConfigField positive(String key, long def, String description) {
        return ConfigField.integer("model.params", key, def, 1L, 100_000L, description);
    }

    /** A key without a Keisei default: the value must be given (checked by {@link Keisei2026Validator}). */
    private static ConfigField required(String key, String description) {
        return new ConfigField("model.params", key, ConfigField.Type.INTEGER, null, 1.0, false, 100_000.0, List.of(),
                false, description + " (required)");
    }

    /** The defaults of every fixed table, with katago_ppo's parameters and the default architecture's. */
    public static ObjectNode defaults() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (ConfigField f : FIELDS) {
            ConfigSchema.putValue(table(root, f.section()), f.key(), f.defaultValue());
        }
        for (ConfigField f : KATAGO_PPO_PARAMS) {
            ConfigSchema.putValue(table(root, f.section()), f.key(), f.defaultValue());
        }
        table(root, "model.params");
        return root;
    }

    /** The table at a dotted path, created when missing. */
    static ObjectNode table(ObjectNode root, String dotted) {
        ObjectNode t = root;
        for (String part : dotted.split("\\.")) {
            t = t.has(part) && t.get(part).isObject() ? (ObjectNode) t.get(part) : t.putObject(part);
        }
        return t;
    }

    /**
     * A JSON Schema (draft 2020-12) of the document, for forms and external validators. {@code model.params}
     * describes the SE-ResNet keys (the template's architecture); other architectures take their own keys.
     */
    public static ObjectNode jsonSchema() {
        ObjectNode schema = ConfigSchema.document("keisei-train config (Keisei 2026 TOML)");
        ObjectNode props = (ObjectNode) schema.get("properties");
        for (ConfigField f : FIELDS) {
            property(props, f);
        }
        for (ConfigField f : KATAGO_PPO_PARAMS) {
            property(props, f);
        }
        for (ConfigField f : MODEL_PARAMS.get("se_resnet")) {
            property(props, f);
        }
        for (String t : PASSTHROUGH_TABLES.stream().sorted().toList()) {
            ObjectNode p = props.putObject(t);
            p.put("type", "object");
            p.put("description", "Passed to Keisei as written; checked by Keisei's own config loading at launch");
        }
        return schema;
    }

    private static void property(ObjectNode props, ConfigField f) {
        ObjectNode owner = props;
        for (String part : f.section().split("\\.")) {
            ObjectNode s = owner.has(part) ? (ObjectNode) owner.get(part) : owner.putObject(part);
            if (!s.has("type")) {
                s.put("type", "object");
                // model.params takes other keys for other architectures; the validator checks them per architecture.
                s.put("additionalProperties", "params".equals(part));
                s.putObject("properties");
            }
            owner = (ObjectNode) s.get("properties");
        }
        ObjectNode p = owner.putObject(f.key());
        f.describeIn(p);
    }
}
