package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class GaeTest {
    static final double GAMMA = 0.9;
    static final double LAMBDA = 0.8;

    /**
     * Four plies, the mover of ply 3 wins (+1). Plies 0 and 2 belong to the loser, 1 and 3 to the
     * winner. By hand, with gamma*lambda = 0.72:
     * <pre>
     * t=3: delta = 1 - 0.5 = 0.5                         A = 0.5                        R = 1.0
     * t=2: delta = 0.9 * (-0.5) - 0.3 = -0.75            A = -0.75 - 0.72 * 0.5 = -1.11 R = -0.81
     * t=1: delta = 0.9 * (-0.3) + 0.2 = -0.07            A = -0.07 + 0.72 * 1.11 = 0.7292   R = 0.5292
     * t=0: delta = 0.9 * 0.2 - 0.1 = 0.08                A = 0.08 - 0.72 * 0.7292 = -0.445024 R = -0.345024
     * </pre>
     */
    @Test
    void terminalWinPropagatesWithAlternatingSigns() {
        float[] rewards = {0, 0, 0, 1};
        float[] values = {0.1f, -0.2f, 0.3f, 0.5f};
        boolean[] dones = {false, false, false, true};
        float[] adv = new float[4];
        float[] ret = new float[4];
        Gae.compute(4, rewards, values, dones, 0.7f, GAMMA, LAMBDA, adv, ret);
        assertThat(adv).containsExactly(new float[] {-0.445024f, 0.7292f, -1.11f, 0.5f}, offset(1e-6f));
        assertThat(ret).containsExactly(new float[] {-0.345024f, 0.5292f, -0.81f, 1.0f}, offset(1e-6f));
    }

    /**
     * A game ends at ply 0 with a loss for its mover (-1, e.g. perpetual check); a new game starts
     * at ply 1 and is cut off after ply 2, bootstrapping from the value 0.6 of the next position:
     * <pre>
     * t=2: delta = 0.9 * (-0.6) + 0.4 = -0.14   A = -0.14                  R = -0.54
     * t=1: delta = 0.9 * 0.4 - 0.1 = 0.26       A = 0.26 + 0.72 * 0.14 = 0.3608   R = 0.4608
     * t=0: delta = -1 - 0.2 = -1.2              A = -1.2 (nothing flows across the game end)  R = -1.0
     * </pre>
     */
    @Test
    void episodeBoundaryAndBootstrap() {
        float[] rewards = {-1, 0, 0};
        float[] values = {0.2f, 0.1f, -0.4f};
        boolean[] dones = {true, false, false};
        float[] adv = new float[3];
        float[] ret = new float[3];
        Gae.compute(3, rewards, values, dones, 0.6f, GAMMA, LAMBDA, adv, ret);
        assertThat(adv).containsExactly(new float[] {-1.2f, 0.3608f, -0.14f}, offset(1e-6f));
        assertThat(ret).containsExactly(new float[] {-1.0f, 0.4608f, -0.54f}, offset(1e-6f));
    }

    @Test
    void withLambdaOneTheReturnIsTheDiscountedNegatedOutcome() {
        // Monte-Carlo limit: ply t's return is (+/-) gamma^(n-1-t) depending on whether its mover won.
        int n = 5;
        float[] rewards = {0, 0, 0, 0, 1};
        float[] values = {0.3f, -0.1f, 0.2f, 0.05f, -0.3f};
        boolean[] dones = {false, false, false, false, true};
        float[] adv = new float[n];
        float[] ret = new float[n];
        Gae.compute(n, rewards, values, dones, 0f, 0.99, 1.0, adv, ret);
        for (int t = 0; t < n; t++) {
            double sign = ((n - 1 - t) % 2 == 0) ? 1 : -1;
            assertThat((double) ret[t]).isCloseTo(sign * Math.pow(0.99, n - 1 - t), offset(1e-6));
        }
    }

    @Test
    void normalizeUsesUnbiasedStd() {
        float[] a = {1, 2, 3, 4, 99};
        Gae.normalize(a, 4); // mean 2.5, std sqrt(5/3)
        double std = Math.sqrt(5.0 / 3.0);
        assertThat(a).startsWith(new float[] {(float) (-1.5 / std), (float) (-0.5 / std)});
        assertThat(a[4]).isEqualTo(99f);
        float[] same = {2, 2, 2};
        Gae.normalize(same, 3);
        assertThat(same).containsExactly(2f, 2f, 2f);
    }
}
