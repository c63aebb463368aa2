package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class AdamTest {
    @Test
    void twoStepsMatchHandComputedValues() {
        // step 1: m = 0.1 g, v = 0.001 g^2, bias-corrected m/sqrt(v) = sign(g), so theta moves by lr
        // step 2 (g = 0.5, 0.3): m = (0.095, 0.021), v = (0.00049975, 0.00009999),
        //   m^ = m / 0.19 = (0.5, 0.1105263), v^ = v / 0.001999 = (0.25, 0.0500200)
        //   theta = (0.9 - 0.1 * 0.5 / 0.5, -1.9 - 0.1 * 0.1105263 / 0.2236515) = (0.8, -1.9494190)
        float[] theta = {1.0f, -2.0f};
        Adam adam = new Adam(2);
        adam.step(theta, new float[] {0.5f, -0.1f}, 1f, 0.1, 0.0);
        assertThat(theta[0]).isCloseTo(0.9f, offset(1e-6f));
        assertThat(theta[1]).isCloseTo(-1.9f, offset(1e-6f));
        assertThat(adam.firstMoment()[0]).isCloseTo(0.05f, offset(1e-7f));
        assertThat(adam.secondMoment()[1]).isCloseTo(1e-5f, offset(1e-10f));
        adam.step(theta, new float[] {0.5f, 0.3f}, 1f, 0.1, 0.0);
        assertThat(adam.stepCount()).isEqualTo(2);
        assertThat(theta[0]).isCloseTo(0.8f, offset(1e-6f));
        assertThat(theta[1]).isCloseTo(-1.949419f, offset(2e-6f));
        assertThat(adam.firstMoment()[0]).isCloseTo(0.095f, offset(1e-7f));
        assertThat(adam.firstMoment()[1]).isCloseTo(0.021f, offset(1e-7f));
        assertThat(adam.secondMoment()[0]).isCloseTo(0.00049975f, offset(1e-9f));
        assertThat(adam.secondMoment()[1]).isCloseTo(0.00009999f, offset(1e-9f));
    }

    @Test
    void weightDecayIsAddedToTheClippedGradient() {
        // g = 0.25 * 2.0 + 0.1 * 0.5 = 0.55; first step moves by lr * sign(g)
        float[] theta = {0.5f};
        Adam adam = new Adam(1);
        adam.step(theta, new float[] {2.0f}, 0.25f, 0.01, 0.1);
        assertThat(adam.firstMoment()[0]).isCloseTo(0.055f, offset(1e-7f));
        assertThat(adam.secondMoment()[0]).isCloseTo(0.0003025f, offset(1e-9f));
        assertThat(theta[0]).isCloseTo(0.49f, offset(1e-6f));
    }

    @Test
    void globalNormClippingFactorFollowsPyTorch() {
        float[] g = new float[10_000];
        g[3] = 3f;
        g[9_999] = 4f;
        assertThat(Adam.globalNorm(g)).isCloseTo(5.0, offset(1e-9));
        assertThat((double) Adam.clipScale(5.0, 0.5)).isCloseTo(0.5 / (5.0 + 1e-6), offset(1e-8));
        assertThat(Adam.clipScale(0.3, 0.5)).isEqualTo(1f);
    }
}
