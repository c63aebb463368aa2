package io.keisei.trainer.learn;

/** Small statistics helpers for comparing evaluation results. */
public final class Stats {
    private Stats() {
    }

    /**
     * Pooled two-proportion z statistic for {@code x2/n2} versus {@code x1/n1} (positive when the
     * second proportion is larger); 0 when the pooled proportion is 0 or 1.
     */
    public static double twoProportionZ(int x1, int n1, int x2, int n2) {
        if (n1 <= 0 || n2 <= 0) {
            throw new IllegalArgumentException("sample sizes must be positive");
        }
        double p1 = x1 / (double) n1;
        double p2 = x2 / (double) n2;
        double p = (x1 + x2) / (double) (n1 + n2);
        double se = Math.sqrt(p * (1 - p) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0.0 : (p2 - p1) / se;
    }

    /** P(Z >= z) for a standard normal Z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2.0));
    }

    /**
     * Complementary error function, relative error below 1.2e-7 everywhere (Chebyshev fit from
     * Numerical Recipes, {@code erfcc}).
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2.0 - ans;
    }
}
