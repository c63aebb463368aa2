package io.keisei.trainer.learn;

/**
 * Generalised advantage estimation for a two-player zero-sum game in which every step is a ply
 * and every value is from the point of view of that ply's mover ("negamax" GAE).
 *
 * <p>The state after ply t belongs to the opponent, so its value seen by the mover of ply t is
 * {@code -V(t+1)}; likewise the opponent's advantage at t+1 is a loss for the mover of t:
 * <pre>
 *   delta_t = r_t + gamma * (1 - done_t) * (-V_{t+1}) - V_t
 *   A_t     = delta_t + gamma * lambda * (1 - done_t) * (-A_{t+1})
 *   R_t     = A_t + V_t                       (value target, mover's view)
 * </pre>
 * {@code r_t} is the final reward of the mover of ply t when the game ends with that ply (+1 win,
 * -1 loss, 0 draw) and 0 otherwise. For the ply before a game's last ply this gives
 * {@code delta = -gamma * V_last - V} and {@code A = delta - gamma * lambda * A_last}: the loser's
 * last move inherits the negated, discounted outcome. This is equivalent to running ordinary GAE
 * along a single player's own trajectory, with gamma and lambda applied per ply. {@code lastValue}
 * is the value of the position after the final stored ply (its mover's view), used to bootstrap
 * when the rollout ends mid-game.
 */
public final class Gae {
    private Gae() {
    }

    public static void compute(int n, float[] rewards, float[] values, boolean[] dones, float lastValue,
                               double gamma, double lambda, float[] advantages, float[] returns) {
        double nextValue = lastValue; // V of the state after step t, from its own mover's view
        double nextAdv = 0.0;
        for (int t = n - 1; t >= 0; t--) {
            double notDone = dones[t] ? 0.0 : 1.0;
            double delta = rewards[t] + gamma * notDone * (-nextValue) - values[t];
            double adv = delta + gamma * lambda * notDone * (-nextAdv);
            advantages[t] = (float) adv;
            returns[t] = (float) (adv + values[t]);
            nextValue = values[t];
            nextAdv = adv;
        }
    }

    /** Normalises {@code a[0..n)} to mean 0 and (unbiased) std 1, as Keisei does; no-op if n < 2 or std <= 1e-8. */
    public static void normalize(float[] a, int n) {
        if (n < 2) {
            return;
        }
        double mean = 0.0;
        for (int i = 0; i < n; i++) {
            mean += a[i];
        }
        mean /= n;
        double var = 0.0;
        for (int i = 0; i < n; i++) {
            double d = a[i] - mean;
            var += d * d;
        }
        double std = Math.sqrt(var / (n - 1));
        if (std <= 1e-8) {
            return;
        }
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((a[i] - mean) / std);
        }
    }
}
