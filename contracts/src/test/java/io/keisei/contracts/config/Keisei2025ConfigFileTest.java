package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per rule of Keisei 1ea1111 that the rendered config file has to satisfy. */
class Keisei2025ConfigFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The key names of keisei/config_schema.py at 1ea1111, per AppConfig section (the keys a document may carry;
     * AppConfig forbids other sections).
     */
    private static final Map<String, Set<String>> KEISEI_KEYS = Map.of(
            "env", Set.of("device", "input_channels", "num_actions_total", "seed", "max_moves_per_game"),
            "training", Set.of("total_timesteps", "steps_per_epoch", "ppo_epochs", "minibatch_size", "learning_rate", "gamma",
                    "clip_epsilon", "value_loss_coeff", "entropy_coef", "render_every_steps", "refresh_per_second",
                    "enable_spinner", "input_features", "tower_depth", "tower_width", "se_ratio", "model_type",
                    "mixed_precision", "ddp", "gradient_clip_max_norm", "lambda_gae", "checkpoint_interval_timesteps",
                    "evaluation_interval_timesteps", "weight_decay", "normalize_advantages", "enable_value_clipping",
                    "lr_schedule_type", "lr_schedule_kwargs", "lr_schedule_step_on", "enable_torch_compile",
                    "torch_compile_mode", "torch_compile_dynamic", "torch_compile_fullgraph", "torch_compile_backend",
                    "enable_compilation_fallback", "validate_compiled_output", "compilation_validation_tolerance",
                    "compilation_warmup_steps", "enable_compilation_benchmarking"),
            "evaluation", Set.of("enable_periodic_evaluation", "evaluation_interval_timesteps", "strategy", "num_games",
                    "max_concurrent_games", "timeout_per_game", "strategy_params", "opponent_type", "max_moves_per_game",
                    "randomize_positions", "random_seed", "save_games", "save_path", "log_file_path_eval", "log_level",
                    "wandb_log_eval", "update_elo", "elo_registry_path", "agent_id", "opponent_id",
                    "previous_model_pool_size", "enable_in_memory_evaluation", "model_weight_cache_size",
                    "enable_parallel_execution", "process_restart_threshold", "temp_agent_device",
                    "clear_cache_after_evaluation", "enable_background_tournaments", "enable_advanced_analytics",
                    "enable_enhanced_opponents", "max_evaluation_time_minutes", "evaluation_timeout_per_game",
                    "max_concurrent_evaluations", "enable_performance_monitoring", "memory_limit_mb", "cpu_limit_percent",
                    "gpu_limit_percent"),
            "logging", Set.of("log_file", "model_dir", "run_name"),
            "wandb", Set.of("enabled", "project", "entity", "run_name_prefix", "watch_model", "watch_log_freq", "watch_log_type",
                    "log_model_artifact"),
            "parallel", Set.of("enabled", "num_workers", "batch_size", "sync_interval", "compression_enabled", "timeout_seconds",
                    "max_queue_size", "worker_seed_offset"),
            "demo", Set.of("enable_demo_mode", "demo_mode_delay"),
            "display", Set.of("enable_board_display", "enable_trend_visualization", "enable_elo_ratings", "enable_enhanced_layout",
                    "display_moves", "turn_tick", "board_unicode_pieces", "board_cell_width", "board_cell_height",
                    "board_highlight_last_move", "sparkline_width", "trend_history_length", "elo_initial_rating", "elo_k_factor",
                    "dashboard_height_ratio", "progress_bar_height", "show_text_moves", "move_list_length", "moves_latest_top",
                    "moves_flash_ms", "show_moves_trend", "show_completion_rate", "show_enhanced_win_rates", "show_turns_trend",
                    "metrics_window_size", "trend_smoothing_factor", "metrics_panel_height", "enable_trendlines",
                    "log_layer_keyword_filters"));

    private static ObjectNode render(String json) throws Exception {
        return Keisei2025ConfigFile.render((ObjectNode) JSON.readTree(json));
    }

    private static List<ConfigError> refusals(String json) {
        try {
            render(json);
            throw new AssertionError("rendered although it should be refused: " + json);
        } catch (InvalidConfigException e) {
            return e.errors();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everySectionAndKeyIsOneOfKeiseisOwn() throws Exception {
        ObjectNode doc = render("{}");
        for (Iterator<Map.Entry<String, JsonNode>> sections = doc.fields(); sections.hasNext(); ) {
            Map.Entry<String, JsonNode> section = sections.next();
            assertThat(KEISEI_KEYS).as("AppConfig section").containsKey(section.getKey());
            section.getValue().fieldNames().forEachRemaining(key ->
                    assertThat(KEISEI_KEYS.get(section.getKey())).as(section.getKey() + "." + key).contains(key));
        }
        // AppConfig requires these six (default_config.yaml has them, but a section we write replaces Keisei's whole).
        assertThat(doc.fieldNames()).toIterable().contains("env", "training", "evaluation", "logging", "wandb", "parallel");
    }

    @Test
    void lrScheduleNoneIsKeiseisNull() throws Exception {
        assertThat(render("{}").at("/training/lr_schedule_type").isNull()).isTrue();
        assertThat(render("{\"training\":{\"lr_schedule_type\":\"none\"}}").at("/training/lr_schedule_type").isNull()).isTrue();
        for (String schedule : List.of("linear", "cosine", "exponential", "step")) {
            assertThat(render("{\"training\":{\"lr_schedule_type\":\"" + schedule + "\"}}").at("/training/lr_schedule_type").asText())
                    .isEqualTo(schedule);
        }
    }

    @Test
    void linearAndCosineSchedulesNeedAtLeastOneWholeEpoch() {
        for (String schedule : List.of("linear", "cosine")) {
            assertThat(refusals("{\"training\":{\"lr_schedule_type\":\"" + schedule + "\",\"total_timesteps\":100,"
                    + "\"steps_per_epoch\":128,\"minibatch_size\":64}}"))
                    .extracting(ConfigError::field).containsExactly("training.lr_schedule_type");
        }
        assertThat(ConfigValidator.errors(JSON.valueToTree(Map.of("training",
                Map.of("lr_schedule_type", "step", "total_timesteps", 100, "steps_per_epoch", 128, "minibatch_size", 64))))).isEmpty();
    }

    @Test
    void theLogFileMustNameAFile() {
        for (String logFile : List.of("logs/", "", "logs/..")) {
            assertThat(refusals("{\"logging\":{\"log_file\":\"" + logFile + "\"}}")).as(logFile)
                    .extracting(ConfigError::field).containsExactly("logging.log_file");
        }
    }

    @Test
    void onlyResnetModelsAreRenderedTheBuiltInTrainersMlpIsRefused() throws Exception {
        assertThat(render("{\"training\":{\"model_type\":\"resnet\"}}").at("/training/model_type").asText()).isEqualTo("resnet");
        assertThat(ConfigValidator.errors(JSON.readTree("{\"training\":{\"model_type\":\"mlp\"}}"))).as("the built-in trainer keeps mlp")
                .isEmpty();
        assertThat(refusals("{\"training\":{\"model_type\":\"mlp\"}}")).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("training.model_type");
            assertThat(e.message()).contains("resnet");
        });
    }

    /** Keisei's field validators (config_schema.py): our bounds refuse the same values, with the field's path. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "minibatch_size gt=1                 | {\"training\":{\"minibatch_size\":1}}                    | training.minibatch_size",
            "lr_positive                         | {\"training\":{\"learning_rate\":0}}                     | training.learning_rate",
            "validate_lr_schedule_type           | {\"training\":{\"lr_schedule_type\":\"warmup\"}}         | training.lr_schedule_type",
            "evaluation_interval_positive        | {\"training\":{\"evaluation_interval_timesteps\":0}}     | training.evaluation_interval_timesteps",
            "num_games_positive                  | {\"evaluation\":{\"num_games\":0}}                       | evaluation.num_games",
            "max_moves_positive                  | {\"evaluation\":{\"max_moves_per_game\":0}}              | evaluation.max_moves_per_game",
            "strategy_valid                      | {\"evaluation\":{\"strategy\":\"swiss\"}}                 | evaluation.strategy",
            "workers_positive                    | {\"parallel\":{\"num_workers\":0}}                       | parallel.num_workers",
            "batch_size_positive                 | {\"parallel\":{\"batch_size\":0}}                        | parallel.batch_size",
            "AppConfig extra=forbid              | {\"extras\":{}}                                        | extras",
            "steps_per_epoch modulo              | {\"training\":{\"steps_per_epoch\":0}}                   | training.steps_per_epoch",
            "render_every_steps modulo           | {\"training\":{\"render_every_steps\":0}}                | training.render_every_steps",
    })
    void keiseisValidatorsHoldForEveryRenderedConfig(String rule, String config, String field) {
        assertThat(refusals(config)).as(rule).extracting(ConfigError::field).contains(field);
    }

    @Test
    void theEvaluationIntervalIsWrittenWhereKeiseiReadsIt() throws Exception {
        ObjectNode doc = render("{\"training\":{\"evaluation_interval_timesteps\":4096}}");
        assertThat(doc.at("/evaluation/evaluation_interval_timesteps").asLong()).isEqualTo(4096);
        assertThat(doc.at("/training/evaluation_interval_timesteps").asLong()).isEqualTo(4096);
    }

    @Test
    void keiseisTerminalDisplayIsOff() throws Exception {
        ObjectNode doc = render("{\"training\":{\"render_every_steps\":5}}");
        JsonNode display = doc.get("display");
        assertThat(display.get("display_moves").asBoolean()).as("no per-move formatting and turn_tick sleep").isFalse();
        assertThat(display.get("turn_tick").asDouble()).isZero();
        assertThat(display.get("enable_enhanced_layout").asBoolean()).as("compact layout: no dashboard panels").isFalse();
        assertThat(display.get("enable_board_display").asBoolean()).isFalse();
        assertThat(display.get("enable_trend_visualization").asBoolean()).isFalse();
        assertThat(display.get("enable_elo_ratings").asBoolean()).isFalse();
        assertThat(doc.at("/training/refresh_per_second").asInt()).as("Rich Live needs > 0").isEqualTo(1);
        assertThat(doc.at("/training/enable_spinner").asBoolean()).isFalse();
        assertThat(doc.at("/training/render_every_steps").asInt()).isEqualTo(5);
    }

    @Test
    void aPartialConfigIsCompletedWithOurDefaultsAndKeepsTheUsersValues() throws Exception {
        ObjectNode doc = render("{\"training\":{\"learning_rate\":0.001,\"tower_width\":32},\"env\":{\"seed\":7},"
                + "\"logging\":{\"run_name\":\"quick\"}}");
        assertThat(doc.at("/training/learning_rate").asDouble()).isEqualTo(0.001);
        assertThat(doc.at("/training/tower_width").isIntegralNumber()).isTrue();
        assertThat(doc.at("/training/tower_width").asInt()).isEqualTo(32);
        assertThat(doc.at("/training/steps_per_epoch").asInt()).isEqualTo(2048);
        assertThat(doc.at("/env/seed").asLong()).isEqualTo(7);
        assertThat(doc.at("/logging/run_name").asText()).isEqualTo("quick");
        assertThat(doc.at("/wandb/enabled").asBoolean()).as("W&B is off unless asked for").isFalse();
        assertThat(doc.at("/logging/run_name").isNull()).isFalse();
        assertThat(render("{}").at("/logging/run_name").isNull()).as("Optional[str] in Keisei").isTrue();
    }

    @Test
    void everyOurFieldIsRenderedUnderItsOwnName() throws Exception {
        ObjectNode doc = render("{}");
        for (ConfigField f : ConfigSchema.FIELDS) {
            assertThat(doc.get(f.section()).has(f.key())).as(f.path()).isTrue();
        }
    }

    @Test
    void anInvalidConfigIsRefusedWithEveryError() {
        assertThat(refusals("{\"training\":{\"learning_rate\":0,\"model_type\":\"cnn\"},\"env\":{\"device\":\"tpu\"}}"))
                .extracting(ConfigError::field)
                .containsExactlyInAnyOrder("training.learning_rate", "training.model_type", "env.device");
        assertThatThrownBy(() -> render("{\"training\":{\"bogus\":1}}")).isInstanceOf(InvalidConfigException.class);
    }
}
