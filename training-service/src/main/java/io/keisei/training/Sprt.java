package io.keisei.training;

/**
 * The sequential probability ratio test that gates a new checkpoint against the current best, on
 * the logistic Elo scale. Pure: it reads the new checkpoint's wins, draws and losses and decides;
 * the design note is {@code docs/evaluation-league.md}, "Ratings and gating".
 *
 * <p>H0: the new checkpoint is {@code elo0} stronger; H1: it is {@code elo1} stronger. In terms of
 * the expected score per game, {@code s(elo) = 1 / (1 + 10^(-elo / 400))}, H0 is {@code s = s0}
 * and H1 is {@code s = s1}.
 *
 * <h2>LLR</h2>
 * The generalized SPRT of Fishtest on the trinomial (win/draw/loss) model, as Fishtest's
 * {@code LLRcalc} computes it ({@code MLE_expected}, {@code LLR}; theory in M. Van den Bergh's notes
 * hardy.uhasselt.be/Fishtest/GSPRT_approximation.pdf and
 * hardy.uhasselt.be/Fishtest/support_MLE_multinomial.pdf, Proposition 1.1): for each
 * hypothesis, the maximum-likelihood win/draw/loss probabilities whose expected score is
 * {@code s0} (resp. {@code s1}) are found, {@code p_i = p̂_i / (1 + x (a_i - s))} with the outcome
 * values {@code a = (1, 1/2, 0)}, the observed frequencies {@code p̂} and {@code x} the root of
 * {@code Σ p̂_i (a_i - s) / (1 + x (a_i - s)) = 0}; then {@code LLR = Σ n_i ln(p1_i / p0_i)}. As in
 * Fishtest, a count of 0 is replaced by 0.001 so that the distributions are defined from the first
 * game. The draw rate is thus estimated from the games themselves, with no draw model to choose.
 * For many games it agrees with the normal approximation
 * {@code LLR ≈ N (s1 - s0) (2 ŝ - s0 - s1) / (2 σ̂²)} ({@link #llrNormalApproximation}).
 *
 * <h2>Bounds</h2>
 * Wald's: accept H1 once {@code LLR >= ln((1 - beta) / alpha)}, H0 once
 * {@code LLR <= ln(beta / (1 - alpha))}; for {@code alpha = beta = 0.05} they are {@code ±ln 19 = ±2.944}.
 *
 * @param elo0  Elo gain under H0 (default 0)
 * @param elo1  Elo gain under H1 (default 30: our small nets gain in large steps; a smaller
 *              {@code elo1} needs about {@code (30 / elo1)²} times more games)
 * @param alpha the chance of accepting H1 when H0 holds (default 0.05)
 * @param beta  the chance of accepting H0 when H1 holds (default 0.05)
 */
public record Sprt(double elo0, double elo1, double alpha, double beta) {

    public static final Sprt DEFAULT = new Sprt(0, 30, 0.05, 0.05);

    /** What replaces a zero count, as Fishtest's regularization does. */
    static final double ZERO_COUNT = 1e-3;

    public Sprt {
        if (!Double.isFinite(elo0) || !Double.isFinite(elo1) || !(elo0 < elo1)) {
            throw new IllegalArgumentException("need finite elo0 < elo1, were " + elo0 + ", " + elo1);
        }
        if (!(alpha > 0 && alpha < 1) || !(beta > 0 && beta < 1) || !(alpha + beta < 1)) {
            throw new IllegalArgumentException("need 0 < alpha, beta and alpha + beta < 1, were " + alpha + ", " + beta);
        }
    }

    /** {@code elo0 = 0}, the given {@code elo1}, {@code alpha = beta = 0.05}. */
    public static Sprt of(double elo1) {
        return new Sprt(0, elo1, 0.05, 0.05);
    }

    /** {@code ln(beta / (1 - alpha))}. */
    public double lowerBound() {
        return Math.log(beta / (1 - alpha));
    }

    /** {@code ln((1 - beta) / alpha)}. */
    public double upperBound() {
        return Math.log((1 - beta) / alpha);
    }

    /** The expected score per game of a player {@code elo} points stronger than its opponent. */
    public static double expectedScore(double elo) {
        return 1 / (1 + Math.pow(10, -elo / 400));
    }

    public SprtDecision decide(int wins, int draws, int losses) {
        double llr = llr(wins, draws, losses);
        double lower = lowerBound();
        double upper = upperBound();
        SprtDecision.Verdict verdict = llr >= upper ? SprtDecision.Verdict.ACCEPT_H1
                : llr <= lower ? SprtDecision.Verdict.ACCEPT_H0
                : SprtDecision.Verdict.CONTINUE;
        return new SprtDecision(verdict, llr, lower, upper, wins, draws, losses);
    }

    /** The generalized log-likelihood ratio of H1 against H0; 0 without games. */
    public double llr(int wins, int draws, int losses) {
        checkCounts(wins, draws, losses);
        if (wins + draws + losses == 0) {
            return 0;
        }
        double[] n = regularized(wins, draws, losses);
        double[] p0 = mleWithExpectedScore(n, expectedScore(elo0));
        double[] p1 = mleWithExpectedScore(n, expectedScore(elo1));
        double llr = 0;
        for (int i = 0; i < 3; i++) {
            llr += n[i] * Math.log(p1[i] / p0[i]);
        }
        return llr;
    }

    /**
     * The normal approximation {@code N (s1 - s0) (2 ŝ - s0 - s1) / (2 σ̂²)} with the sample mean
     * score {@code ŝ} and per-game variance {@code σ̂²} (counts regularized as in {@link #llr}); a
     * cross-check, poor for few games.
     */
    double llrNormalApproximation(int wins, int draws, int losses) {
        checkCounts(wins, draws, losses);
        if (wins + draws + losses == 0) {
            return 0;
        }
        double[] n = regularized(wins, draws, losses);
        double total = n[0] + n[1] + n[2];
        double mean = (n[0] * VALUES[0] + n[1] * VALUES[1] + n[2] * VALUES[2]) / total;
        double var = 0;
        for (int i = 0; i < 3; i++) {
            var += n[i] * (VALUES[i] - mean) * (VALUES[i] - mean);
        }
        var /= total;
        double s0 = expectedScore(elo0);
        double s1 = expectedScore(elo1);
        return total * (s1 - s0) * (2 * mean - s0 - s1) / (2 * var);
    }

    /** The score of a win, a draw and a loss. */
    private static final double[] VALUES = {1.0, 0.5, 0.0};

    private static void checkCounts(int wins, int draws, int losses) {
        if (wins < 0 || draws < 0 || losses < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + wins + "/" + draws + "/" + losses);
        }
    }

    private static double[] regularized(int wins, int draws, int losses) {
        return new double[] {
                wins == 0 ? ZERO_COUNT : wins,
                draws == 0 ? ZERO_COUNT : draws,
                losses == 0 ? ZERO_COUNT : losses};
    }

    /**
     * The win/draw/loss probabilities of largest likelihood for the counts {@code n} (all positive)
     * among those with expected score {@code s}: {@code p_i = p̂_i / (1 + x d_i)} with
     * {@code d_i = a_i - s} and {@code x} the root of {@code f(x) = Σ p̂_i d_i / (1 + x d_i)}, which
     * decreases from +∞ to -∞ on {@code (-1 / (1 - s), 1 / s)}; found by bisection.
     */
    static double[] mleWithExpectedScore(double[] n, double s) {
        double total = n[0] + n[1] + n[2];
        double[] p = new double[3];
        double[] d = new double[3];
        for (int i = 0; i < 3; i++) {
            p[i] = n[i] / total;
            d[i] = VALUES[i] - s;
        }
        double lo = -1 / (1 - s);
        double hi = 1 / s;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            double f = 0;
            for (int i = 0; i < 3; i++) {
                f += p[i] * d[i] / (1 + mid * d[i]);
            }
            if (f > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double x = 0.5 * (lo + hi);
        double[] q = new double[3];
        for (int i = 0; i < 3; i++) {
            q[i] = p[i] / (1 + x * d[i]);
        }
        return q;
    }
}
