package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * How a session gates its new checkpoints against its current best (docs/evaluation-league.md, "Automatic gating"):
 * not at all ({@code off}), by a sequential probability ratio test played in batches ({@code sprt}), or by a fixed
 * number of games ({@code games}). Absent fields take the defaults below ({@link #withDefaults()}); the rules are
 * {@link #check(String)}'s, in one place for training-service and the API document.
 *
 * @param games    games per gate evaluation: the whole gate in {@code games} mode, one batch of the test in {@code sprt}
 * @param maxGames the most games one SPRT may play; a test still undecided there is not promoted
 */
@Schema(name = "GatingPolicy", description = "Automatic gating of a session's new checkpoints against its best: off, an "
        + "SPRT played in batches, or a fixed number of games. Absent fields take their defaults.")
public record GatingPolicy(
        @Schema(enumeration = {MODE_OFF, MODE_SPRT, MODE_GAMES}, defaultValue = MODE_OFF,
                description = "off: no gating; sprt: a sequential test (elo0, elo1, alpha, beta) in batches of games; "
                        + "games: a fixed number of games, promoted when the score's one-sided 95 % Wilson bound exceeds 50 %")
        String mode,
        @Schema(minimum = "1", maximum = "" + EvaluationRules.MAX_GAMES, description = "games per gate evaluation: all of "
                + "them in games mode (default " + DEFAULT_FIXED_GAMES + "), one batch in sprt mode (default "
                + DEFAULT_SPRT_BATCH + ")")
        Integer games,
        @Schema(minimum = "1", maximum = "" + MAX_GAMES_LIMIT, description = "sprt: the most games of one test (default "
                + DEFAULT_MAX_GAMES + "); a test undecided there is not promoted")
        Integer maxGames,
        @Schema(minimum = "" + -ELO_LIMIT, maximum = "" + ELO_LIMIT, description = "sprt: Elo gain under H0 (default 0)")
        Double elo0,
        @Schema(minimum = "" + -ELO_LIMIT, maximum = "" + ELO_LIMIT, description = "sprt: Elo gain under H1, above elo0 "
                + "(default 30)")
        Double elo1,
        @Schema(description = "sprt: the chance of promoting when H0 holds, in (0, 0.5) (default 0.05)") Double alpha,
        @Schema(description = "sprt: the chance of rejecting when H1 holds, in (0, 0.5) (default 0.05)") Double beta,
        @Schema(minimum = "-1000", maximum = "1000", description = "queue priority of the gate evaluations (default "
                + EvaluationRules.DEFAULT_PRIORITY + ": below training)")
        Integer priority) {

    public static final String MODE_OFF = "off";
    public static final String MODE_SPRT = "sprt";
    public static final String MODE_GAMES = "games";

    public static final int DEFAULT_FIXED_GAMES = 100;
    public static final int DEFAULT_SPRT_BATCH = 50;
    public static final int DEFAULT_MAX_GAMES = 1000;
    public static final int MAX_GAMES_LIMIT = 100_000;
    public static final double DEFAULT_ELO0 = 0;
    public static final double DEFAULT_ELO1 = 30;
    public static final double DEFAULT_ERROR = 0.05;
    public static final int ELO_LIMIT = 1000;

    /** Gating off, every other field at its default. */
    public static final GatingPolicy OFF = new GatingPolicy(MODE_OFF, null, null, null, null, null, null, null).withDefaults();

    /** Whether new checkpoints are gated. */
    @JsonIgnore
    public boolean isOn() {
        return MODE_SPRT.equals(mode) || MODE_GAMES.equals(mode);
    }

    /** The same policy with every absent field at its default (the games per evaluation depend on the mode). */
    public GatingPolicy withDefaults() {
        String m = mode == null ? MODE_OFF : mode;
        return new GatingPolicy(m,
                games != null ? games : MODE_SPRT.equals(m) ? DEFAULT_SPRT_BATCH : DEFAULT_FIXED_GAMES,
                maxGames != null ? maxGames : DEFAULT_MAX_GAMES,
                elo0 != null ? elo0 : DEFAULT_ELO0,
                elo1 != null ? elo1 : DEFAULT_ELO1,
                alpha != null ? alpha : DEFAULT_ERROR,
                beta != null ? beta : DEFAULT_ERROR,
                priority != null ? priority : EvaluationRules.DEFAULT_PRIORITY);
    }

    /**
     * What is wrong with this policy, each error named {@code prefix + field} (e.g. {@code gating.elo1}); empty when it
     * is valid. Absent fields are valid (they take their defaults), and the pairwise rules read the defaults.
     */
    public List<FieldError> check(String prefix) {
        List<FieldError> errors = new ArrayList<>();
        if (mode != null && !MODE_OFF.equals(mode) && !MODE_SPRT.equals(mode) && !MODE_GAMES.equals(mode)) {
            errors.add(new FieldError(prefix + "mode", "must be off, sprt or games"));
        }
        if (games != null && (games < 1 || games > EvaluationRules.MAX_GAMES)) {
            errors.add(new FieldError(prefix + "games", "must be in [1, " + EvaluationRules.MAX_GAMES + "]"));
        }
        if (maxGames != null && (maxGames < 1 || maxGames > MAX_GAMES_LIMIT)) {
            errors.add(new FieldError(prefix + "maxGames", "must be in [1, " + MAX_GAMES_LIMIT + "]"));
        }
        if (priority != null && (priority < -1000 || priority > 1000)) {
            errors.add(new FieldError(prefix + "priority", "must be in [-1000, 1000]"));
        }
        boolean elosInRange = checkElo(prefix + "elo0", elo0, errors) & checkElo(prefix + "elo1", elo1, errors);
        checkError(prefix + "alpha", alpha, errors);
        checkError(prefix + "beta", beta, errors);
        if (errors.isEmpty()) {
            GatingPolicy d = withDefaults();
            if (elosInRange && !(d.elo0() < d.elo1())) {
                errors.add(new FieldError(prefix + "elo1", "must be greater than elo0 (" + d.elo0() + ")"));
            }
            if (MODE_SPRT.equals(d.mode()) && d.maxGames() < d.games()) {
                errors.add(new FieldError(prefix + "maxGames", "must be at least games (" + d.games() + ")"));
            }
        }
        return errors;
    }

    private static boolean checkElo(String field, Double elo, List<FieldError> errors) {
        if (elo != null && !(Double.isFinite(elo) && Math.abs(elo) <= ELO_LIMIT)) {
            errors.add(new FieldError(field, "must be in [-" + ELO_LIMIT + ", " + ELO_LIMIT + "]"));
            return false;
        }
        return true;
    }

    private static void checkError(String field, Double p, List<FieldError> errors) {
        if (p != null && !(p > 0 && p < 0.5)) {
            errors.add(new FieldError(field, "must be in (0, 0.5)"));
        }
    }
}
