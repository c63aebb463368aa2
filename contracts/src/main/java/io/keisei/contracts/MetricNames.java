package io.keisei.contracts;

import java.util.List;

/**
 * Metric names, spelled as Keisei spells them so that a real Keisei run and the built-in
 * trainer produce the same series.
 */
public final class MetricNames {

    public static final String POLICY_LOSS = "ppo/policy_loss";
    public static final String VALUE_LOSS = "ppo/value_loss";
    public static final String ENTROPY = "ppo/entropy";
    public static final String KL_DIVERGENCE = "ppo/kl_divergence_approx";
    public static final String CLIP_FRACTION = "ppo/clip_fraction";
    public static final String LEARNING_RATE = "ppo/learning_rate";
    public static final String GRADIENT_NORM = "ppo/gradient_norm";
    public static final String EPISODES_COMPLETED = "episodes_completed";
    public static final String EPISODE_REWARD_MEAN = "episode_reward_mean";
    public static final String EPISODE_LENGTH_MEAN = "episode_length_mean";
    public static final String BLACK_WIN_RATE = "black_win_rate";
    public static final String WHITE_WIN_RATE = "white_win_rate";
    public static final String DRAW_RATE = "draw_rate";
    public static final String STEPS_PER_SECOND = "steps_per_second";
    public static final String EVAL_WIN_RATE_VS_RANDOM = "eval/win_rate_vs_random";
    public static final String EVAL_DRAW_RATE = "eval/draw_rate";
    public static final String EVAL_GAMES = "eval/games";

    /** Every name above, in display order. */
    public static final List<String> ALL = List.of(
            POLICY_LOSS, VALUE_LOSS, ENTROPY, KL_DIVERGENCE, CLIP_FRACTION, LEARNING_RATE, GRADIENT_NORM,
            EPISODES_COMPLETED, EPISODE_REWARD_MEAN, EPISODE_LENGTH_MEAN,
            BLACK_WIN_RATE, WHITE_WIN_RATE, DRAW_RATE, STEPS_PER_SECOND, EVAL_WIN_RATE_VS_RANDOM, EVAL_DRAW_RATE, EVAL_GAMES);

    /**
     * Not a series but a key of a checkpoint's metrics (a model's {@code metrics}): the step at which the
     * {@code eval/*} values there were measured, i.e. the latest evaluation before the checkpoint was saved.
     */
    public static final String EVAL_STEP = "eval/step";

    /** The keys of a checkpoint's metrics that describe its latest evaluation. */
    public static final List<String> EVALUATION = List.of(EVAL_WIN_RATE_VS_RANDOM, EVAL_DRAW_RATE, EVAL_GAMES, EVAL_STEP);

    /**
     * Keisei's own evaluation, as the Keisei bridge (examples/keisei-bridge) publishes a Keisei run's evaluation results
     * at the step they were measured at. Its Elo ({@link #KEISEI_EVAL_ELO}, {@link #KEISEI_EVAL_OPPONENT_ELO}) is
     * Keisei's own scale (every player starts at 1500, K = 32 online updates against Keisei's own opponents): it is not
     * comparable with the evaluation league's ratings, which are anchored at random = 0.
     */
    public static final String KEISEI_EVAL_PREFIX = "keisei/eval/";
    public static final String KEISEI_EVAL_WIN_RATE = "keisei/eval/win_rate";
    public static final String KEISEI_EVAL_DRAW_RATE = "keisei/eval/draw_rate";
    public static final String KEISEI_EVAL_LOSS_RATE = "keisei/eval/loss_rate";
    public static final String KEISEI_EVAL_GAMES = "keisei/eval/games";
    public static final String KEISEI_EVAL_AVG_GAME_LENGTH = "keisei/eval/avg_game_length";
    public static final String KEISEI_EVAL_ELO = "keisei/eval/elo";
    public static final String KEISEI_EVAL_OPPONENT_ELO = "keisei/eval/opponent_elo";
    /** Not a series but a key of a Keisei checkpoint's metrics: the step of the Keisei evaluation recorded there. */
    public static final String KEISEI_EVAL_STEP = "keisei/eval/step";

    /** {@code keisei/eval/vs/<opponent>/win_rate}: the win rate against one opponent of a Keisei evaluation. */
    public static String keiseiEvalWinRateVs(String opponent) {
        return KEISEI_EVAL_PREFIX + "vs/" + opponent + "/win_rate";
    }

    /** Longest metric name accepted on the wire; bounds storage keys. */
    public static final int MAX_NAME_LENGTH = 128;

    private MetricNames() {
    }

    /** A metric name is 1..128 characters of letters, digits and {@code _ / . -}. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '/' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
