package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON config file the August-2025 Keisei (upstream commit 1ea1111) accepts, made from a session's effective
 * config ({@link ConfigSchema}); it is passed as {@code --config FILE.json} to Keisei's {@code train} command
 * (through examples/keisei-bridge/train_webui.py).
 *
 * <p>How Keisei 1ea1111 reads it ({@code keisei/utils/utils.py load_config}): the file must end in {@code .json},
 * {@code .yaml} or {@code .yml} (anything else is a ValueError); Keisei starts from its {@code default_config.yaml}
 * and, because our document has section names at the top level, <em>replaces</em> each section we write as a whole
 * ({@code config_data[k] = v}). So every Keisei key of a written section that this document leaves out takes the
 * default of Keisei's pydantic model, not the value in {@code default_config.yaml}. The result is validated by
 * {@code AppConfig.model_validate} ({@code keisei/config_schema.py}): unknown sections are rejected
 * ({@code extra="forbid"} on AppConfig); unknown keys inside a section are ignored by pydantic, so a typo there would
 * be lost silently, which is one more reason to write only the keys of our schema.
 *
 * <p>Keisei's rules checked against our schema (keisei/config_schema.py at 1ea1111, and the code that reads the
 * values at run time); each either holds for every config {@link ConfigValidator} accepts, or is enforced here:
 * <ul>
 * <li>TrainingConfig: {@code minibatch_size} gt=1 (ours: >= 2); {@code lr_positive}: learning_rate > 0 (ours: (0, 1]);
 *     {@code validate_lr_schedule_type}: linear | cosine | exponential | step | None (ours spells None "none": mapped
 *     to null here); {@code validate_lr_schedule_step_on}, {@code validate_torch_compile_mode},
 *     {@code validate_compilation_tolerance}, {@code validate_warmup_steps}: keys we do not write (Keisei defaults).</li>
 * <li>EvaluationConfig: {@code evaluation_interval_positive} (ours: >= 1, and written here, see below);
 *     {@code num_games_positive} (ours: >= 1); {@code max_moves_positive} (ours: >= 1); {@code strategy_valid} and
 *     its Literal (ours: the same five); {@code pool_size_positive}, {@code max_concurrent_positive},
 *     {@code log_level_valid}, {@code cache_size_positive}, {@code restart_threshold_positive},
 *     {@code max_eval_time_positive}, {@code eval_timeout_positive}, {@code max_concurrent_eval_positive},
 *     {@code memory_limit_positive}, {@code cpu_limit_valid}, {@code gpu_limit_valid}: keys we do not write.</li>
 * <li>ParallelConfig: {@code workers_positive}, {@code batch_size_positive} (ours: >= 1).
 *     WandBConfig: {@code watch_log_type} Literal: not written. AppConfig: {@code extra="forbid"}: we write only
 *     Keisei's section names.</li>
 * <li>Types: every key we write has Keisei's type (int, float, bool, str; {@code logging.run_name} and
 *     {@code wandb.entity} are Optional[str] there too).</li>
 * <li>Run-time rules outside the schema: {@code keisei/training/models/__init__.py model_factory} builds only
 *     {@code resnet} (anything else is "Unknown model_type"): refused here, since the built-in trainer's {@code mlp}
 *     is valid in our schema; {@code keisei/core/scheduler_factory.py} linear/cosine need
 *     {@code (total_timesteps // steps_per_epoch) * ppo_epochs > 0}, and {@code keisei/training/utils.py
 *     setup_directories} needs a file name in {@code logging.log_file}: both are {@link ConfigValidator} rules;
 *     {@code keisei/shogi/features.py} knows core46 (ours: core46 only); {@code CallbackManager} and
 *     {@code TrainingLoopManager} take {@code % steps_per_epoch} and {@code % render_every_steps} (ours: >= 1).</li>
 * </ul>
 *
 * <p>What this adds beyond our keys: {@code evaluation.evaluation_interval_timesteps} (Keisei's CallbackManager
 * reads the evaluation section's interval, not {@code training.evaluation_interval_timesteps}, so our setting would
 * otherwise be ignored), and Keisei's terminal display turned off ({@link #quietDisplay()}).
 */
public final class Keisei2025ConfigFile {

    /** The only model family Keisei 1ea1111's model_factory builds (besides its test dummies). */
    static final String KEISEI_MODEL_TYPE = "resnet";

    /** Keisei's Rich Live refresh rate (TrainingConfig.refresh_per_second; Rich needs > 0). */
    static final int REFRESH_PER_SECOND = 1;

    private Keisei2025ConfigFile() {
    }

    /**
     * The document Keisei 1ea1111 accepts for this effective config.
     *
     * @param effective a session's effective config in our schema (validated again here, so a partial config is
     *                  completed with our defaults)
     * @throws InvalidConfigException when the config is invalid in our schema, or asks for something only the built-in
     *                                trainer can do (every problem at once, with its field path)
     */
    public static ObjectNode render(ObjectNode effective) {
        TrainingConfig config = ConfigValidator.validate(effective);
        List<ConfigError> refused = keiseiOnlyProblems(config);
        if (!refused.isEmpty()) {
            throw new InvalidConfigException(refused);
        }
        ObjectNode doc = config.effective();
        ObjectNode training = (ObjectNode) doc.get("training");
        training.set("lr_schedule_type", keiseiSchedule(config.training().lrScheduleType()));
        training.put("refresh_per_second", REFRESH_PER_SECOND);
        training.put("enable_spinner", false);
        ((ObjectNode) doc.get("evaluation")).put("evaluation_interval_timesteps",
                config.training().evaluationIntervalTimesteps());
        doc.set("display", quietDisplay());
        return doc;
    }

    /** What Keisei 1ea1111 cannot run although our schema (shared with the built-in trainer) accepts it. */
    static List<ConfigError> keiseiOnlyProblems(TrainingConfig config) {
        List<ConfigError> problems = new ArrayList<>();
        if (!KEISEI_MODEL_TYPE.equals(config.training().modelType())) {
            problems.add(new ConfigError("training.model_type", "Keisei 2025 builds only " + KEISEI_MODEL_TYPE
                    + " models (" + config.training().modelType() + " is the built-in trainer's)"));
        }
        return problems;
    }

    /** Our "none" is Keisei's None: its validator rejects the string "none". */
    private static JsonNode keiseiSchedule(String ours) {
        JsonNodeFactory nf = JsonNodeFactory.instance;
        return "none".equals(ours) ? nf.nullNode() : nf.textNode(ours);
    }

    /**
     * Keisei's terminal UI, off: a trainer launched by Keisei Web UI has no terminal (its output goes to a log file),
     * and the UI costs training time: with {@code display.display_moves} (true in Keisei's default_config.yaml) every
     * move is formatted and followed by a {@code display.turn_tick} sleep (0.1 s there) in
     * {@code StepManager._handle_demo_mode}; the enhanced layout re-renders board, trends and Elo panels every
     * {@code render_every_steps} steps ({@code TrainingDisplay.refresh_dashboard_panels}; the compact layout returns
     * at once). Keisei's Rich Live display itself cannot be switched off (Trainer.run_training_loop always enters
     * it): it refreshes {@link #REFRESH_PER_SECOND} time a second without a spinner. Key names: DisplayConfig and
     * TrainingConfig in keisei/config_schema.py at 1ea1111.
     */
    static ObjectNode quietDisplay() {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("display_moves", false);
        d.put("turn_tick", 0.0);
        d.put("enable_enhanced_layout", false);
        d.put("enable_board_display", false);
        d.put("enable_trend_visualization", false);
        d.put("enable_elo_ratings", false);
        return d;
    }
}
