package io.keisei.training;

/**
 * The fixed-games gate: after {@code games} games against the current best, the new checkpoint is
 * promoted when its score is significantly above 50 %, that is when the lower end of the one-sided
 * Wilson score interval of its score exceeds 0.5. Pure; the design note is
 * {@code docs/evaluation-league.md}, "Ratings and gating".
 *
 * <p>The score is {@code ŝ = (wins + draws / 2) / N} and the Wilson lower bound
 * {@code (ŝ + z²/(2N) - z √(ŝ(1 - ŝ)/N + z²/(4N²))) / (1 + z²/N)}. Wilson's interval is for a
 * win/loss proportion; draws make the real variance of the score smaller than {@code ŝ(1 - ŝ)}, so
 * with draws the rule is conservative (it promotes less often than its nominal level).
 *
 * @param games how many games decide (more are allowed; all played games count)
 * @param z     the normal quantile of the one-sided level (default {@link #ONE_SIDED_95})
 */
public record GateRule(int games, double z) {

    /** The 95 % one-sided normal quantile. */
    public static final double ONE_SIDED_95 = 1.6448536269514722;

    public GateRule {
        if (games < 1) {
            throw new IllegalArgumentException("games must be >= 1, was " + games);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be finite and > 0, was " + z);
        }
    }

    /** A gate of {@code games} games at the one-sided 95 % level. */
    public static GateRule of(int games) {
        return new GateRule(games, ONE_SIDED_95);
    }

    /**
     * @param lower the Wilson lower bound of the score (NaN without games)
     * @param upper the Wilson upper bound of the score (NaN without games)
     */
    public record Decision(Verdict verdict, double score, double lower, double upper, int games) {
    }

    public enum Verdict {
        /** Fewer games than the rule needs. */
        PENDING,
        /** The score is significantly above 50 %. */
        PROMOTE,
        /** It is not. */
        REJECT
    }

    public Decision decide(int wins, int draws, int losses) {
        if (wins < 0 || draws < 0 || losses < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + wins + "/" + draws + "/" + losses);
        }
        int n = wins + draws + losses;
        if (n == 0) {
            return new Decision(Verdict.PENDING, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double score = (wins + 0.5 * draws) / n;
        double lower = wilson(score, n, -z);
        double upper = wilson(score, n, z);
        Verdict verdict = n < games ? Verdict.PENDING : lower > 0.5 ? Verdict.PROMOTE : Verdict.REJECT;
        return new Decision(verdict, score, lower, upper, n);
    }

    /** The Wilson bound for the proportion {@code p} of {@code n} trials at signed quantile {@code z}. */
    static double wilson(double p, int n, double z) {
        double z2 = z * z;
        double centre = p + z2 / (2.0 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (centre + spread) / (1 + z2 / n);
    }
}
