package io.keisei.trainer.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void normalTailAndZTest() {
        assertThat(Stats.upperTail(0)).isCloseTo(0.5, offset(1e-7));
        assertThat(Stats.upperTail(1.959964)).isCloseTo(0.025, offset(1e-7));
        assertThat(Stats.upperTail(-1.644854)).isCloseTo(0.95, offset(1e-7));
        assertThat(Stats.upperTail(5)).isCloseTo(2.8665e-7, offset(1e-10));
        // 30/100 vs 50/100: pooled p = 0.4, se = sqrt(0.24 * 0.02) = 0.069282, z = 2.886751
        assertThat(Stats.twoProportionZ(30, 100, 50, 100)).isCloseTo(2.886751, offset(1e-6));
        assertThat(Stats.twoProportionZ(0, 10, 0, 10)).isZero();
    }
}
