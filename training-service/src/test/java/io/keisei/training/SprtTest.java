package io.keisei.training;

import org.junit.jupiter.api.Test;

import static io.keisei.training.SprtDecision.Verdict.ACCEPT_H0;
import static io.keisei.training.SprtDecision.Verdict.ACCEPT_H1;
import static io.keisei.training.SprtDecision.Verdict.CONTINUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-computed cases for the default test, elo0 = 0, elo1 = 30, alpha = beta = 0.05:
 * s0 = 1/2 and s1 = 1 / (1 + 10^(-30/400)) = 1 / (1 + 0.841395) = 0.543066.
 * For each hypothesis the win/draw/loss probabilities are p_i = p̂_i / (1 + x d_i) with
 * d = (1 - s, 1/2 - s, 0 - s) and x the root of Σ p̂_i d_i / (1 + x d_i) = 0.
 */
class SprtTest {

    final Sprt sprt = Sprt.DEFAULT;

    @Test
    void boundsForFivePercentErrorsAreLn19() {
        // ln(0.05 / 0.95) = -ln 19 = -2.944439, ln(0.95 / 0.05) = ln 19 = 2.944439.
        assertThat(sprt.lowerBound()).isCloseTo(-2.944439, within(1e-6));
        assertThat(sprt.upperBound()).isCloseTo(2.944439, within(1e-6));
        assertThat(sprt.upperBound()).isEqualTo(Math.log(19));
        assertThat(sprt).isEqualTo(new Sprt(0, 30, 0.05, 0.05));
        assertThat(Sprt.expectedScore(30)).isCloseTo(0.543066, within(1e-6));
    }

    @Test
    void sixtyTenThirtyIsNotYetEnoughButTwiceAsManyGamesAre() {
        // 60 wins, 10 draws, 30 losses: p̂ = (0.6, 0.1, 0.3), score 0.65.
        // H0 (s0 = 1/2, d = (1/2, 0, -1/2)): 0.6 * 0.5 / (1 + x/2) = 0.3 * 0.5 / (1 - x/2) gives
        //   0.3 - 0.15 x = 0.15 + 0.075 x, x = 2/3, so p0 = (0.6 / (4/3), 0.1, 0.3 / (2/3)) = (0.45, 0.1, 0.45).
        // H1 (s1 = 0.543066, d = (0.456934, -0.043066, -0.543066)): the root of the quadratic is
        //   x = 0.480347, p1 = (0.492010, 0.102112, 0.405877) (their mean score is s1).
        // LLR = 60 ln(0.492010 / 0.45) + 10 ln(0.102112 / 0.1) + 30 ln(0.405877 / 0.45)
        //     = 5.3551 + 0.2090 - 3.0959 = 2.4683 < 2.9444: continue.
        // (The normal approximation N (s1 - s0)(2 ŝ - s0 - s1) / (2 σ̂²), σ̂² = 0.2025, gives
        //  100 * 0.043066 * 0.256934 / 0.405 = 2.7322.)
        SprtDecision d = sprt.decide(60, 10, 30);
        assertThat(d.llr()).isCloseTo(2.4683, within(1e-3));
        assertThat(d.verdict()).isEqualTo(CONTINUE);
        assertThat(d.finished()).isFalse();
        assertThat(d.games()).isEqualTo(100);
        assertThat(d.lower()).isEqualTo(sprt.lowerBound());
        assertThat(d.upper()).isEqualTo(sprt.upperBound());
        assertThat(sprt.llrNormalApproximation(60, 10, 30)).isCloseTo(2.7322, within(1e-3));

        double[] p0 = Sprt.mleWithExpectedScore(new double[] {60, 10, 30}, 0.5);
        assertThat(p0[0]).isCloseTo(0.45, within(1e-9));
        assertThat(p0[1]).isCloseTo(0.10, within(1e-9));
        assertThat(p0[2]).isCloseTo(0.45, within(1e-9));

        // The same frequencies over 200 games: the same p0 and p1, so twice the LLR, 4.9365 >= 2.9444.
        SprtDecision twice = sprt.decide(120, 20, 60);
        assertThat(twice.llr()).isCloseTo(4.9365, within(1e-3));
        assertThat(twice.verdict()).isEqualTo(ACCEPT_H1);
    }

    @Test
    void anEvenResultOverManyGamesAcceptsH0() {
        // 500 wins, 100 draws, 500 losses: the score is exactly s0, so x0 = 0 and p0 = p̂ = (5/11, 1/11, 5/11).
        // H1: x = -0.190895, p1 = (0.497983, 0.090168, 0.411850);
        // LLR = 500 ln(0.497983 * 11/5) + 100 ln(0.090168 * 11) + 500 ln(0.411850 * 11/5) = -4.5050 <= -2.9444.
        SprtDecision d = sprt.decide(500, 100, 500);
        assertThat(d.llr()).isCloseTo(-4.5050, within(1e-3));
        assertThat(d.verdict()).isEqualTo(ACCEPT_H0);
        // Half as many games: -2.2525, not yet.
        assertThat(sprt.decide(250, 50, 250).verdict()).isEqualTo(CONTINUE);
    }

    @Test
    void aFewGamesContinue() {
        assertThat(sprt.decide(0, 0, 0)).isEqualTo(new SprtDecision(CONTINUE, 0, sprt.lowerBound(), sprt.upperBound(), 0, 0, 0));
        // Three wins: the MLE puts s on wins and 1 - s on losses, LLR = 3 ln(s1 / s0) = 3 ln(1.086133) = 0.24787
        // (the 0.001 that stands for each zero count moves it by less than 1e-4). The normal approximation
        // would divide by a variance of almost 0 here; the GSPRT does not.
        SprtDecision threeWins = sprt.decide(3, 0, 0);
        assertThat(threeWins.llr()).isCloseTo(0.24787, within(1e-4));
        assertThat(threeWins.verdict()).isEqualTo(CONTINUE);
        // Three losses: 3 ln((1 - s1) / (1 - s0)) = 3 ln(0.913867) = -0.27021.
        assertThat(sprt.decide(0, 0, 3).llr()).isCloseTo(-0.27021, within(1e-4));
        assertThat(sprt.decide(0, 0, 3).verdict()).isEqualTo(CONTINUE);
        assertThat(sprt.decide(5, 2, 3).verdict()).isEqualTo(CONTINUE);
        assertThat(sprt.decide(0, 10, 0).verdict()).isEqualTo(CONTINUE);
    }

    @Test
    void withoutDrawsItIsTheBinomialLikelihoodRatio() {
        // 60 wins, 40 losses: p0 = (1/2, 0, 1/2), p1 = (s1, 0, 1 - s1);
        // LLR = 60 ln(2 s1) + 40 ln(2 (1 - s1)) = 60 * 0.082624 - 40 * 0.090070 = 4.9574 - 3.6028 = 1.3546.
        assertThat(sprt.llr(60, 0, 40)).isCloseTo(1.3546, within(1e-3));
    }

    @Test
    void symmetricHypothesesGiveSymmetricDecisions() {
        // H0: -15, H1: +15. Swapping wins and losses mirrors the test: LLR(W, D, L) = -LLR(L, D, W).
        Sprt mirror = new Sprt(-15, 15, 0.05, 0.05);
        assertThat(mirror.llr(60, 10, 30)).isCloseTo(2.8780, within(1e-3));
        assertThat(mirror.llr(30, 10, 60)).isCloseTo(-2.8780, within(1e-3));
        for (int w = 0; w <= 200; w += 13) {
            for (int d = 0; d <= 60; d += 7) {
                for (int l = 0; l <= 200; l += 17) {
                    SprtDecision up = mirror.decide(w, d, l);
                    SprtDecision down = mirror.decide(l, d, w);
                    assertThat(up.llr()).isCloseTo(-down.llr(), within(1e-9));
                    assertThat(up.verdict() == ACCEPT_H1).isEqualTo(down.verdict() == ACCEPT_H0);
                    assertThat(up.verdict() == CONTINUE).isEqualTo(down.verdict() == CONTINUE);
                }
            }
        }
    }

    @Test
    void moreWinsNeverLowerTheLlr() {
        double previous = Double.NEGATIVE_INFINITY;
        for (int w = 0; w <= 100; w++) {
            double llr = sprt.llr(w, 10, 50);
            assertThat(llr).isGreaterThan(previous);
            previous = llr;
        }
    }

    @Test
    void manyGamesAgreeWithTheNormalApproximation() {
        // Near the hypotheses the two agree closely: 2 * -4.5050 = -9.0100 against -8.9769.
        assertThat(sprt.llr(1000, 200, 1000)).isCloseTo(sprt.llrNormalApproximation(1000, 200, 1000), within(0.05));
        // Far from them (score 0.65) the approximation overstates the evidence by about a tenth: 10 * 2.4683 against 10 * 2.7322.
        assertThat(sprt.llr(600, 100, 300)).isCloseTo(24.683, within(1e-2));
        assertThat(sprt.llrNormalApproximation(600, 100, 300)).isCloseTo(27.322, within(1e-2));
    }

    @Test
    void badParametersAreRefused() {
        assertThatThrownBy(() -> new Sprt(30, 0, 0.05, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Sprt(0, 30, 0, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Sprt(0, 30, 0.6, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sprt.decide(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // The fixed-games gate.

    @Test
    void gatePromotesAScoreSignificantlyAboveHalf() {
        // 100 games, score 0.6, z = 1.644854 (one-sided 95 %): z² = 2.705543,
        // lower = (0.6 + 0.013528 - 1.644854 √(0.0024 + 0.0000676)) / 1.027055
        //       = (0.613528 - 1.644854 * 0.049675) / 1.027055 = 0.531818 / 1.027055 = 0.517810 > 0.5.
        GateRule gate = GateRule.of(100);
        GateRule.Decision d = gate.decide(60, 0, 40);
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.PROMOTE);
        assertThat(d.score()).isEqualTo(0.6);
        assertThat(d.lower()).isCloseTo(0.517810, within(1e-6));
        assertThat(d.upper()).isCloseTo(0.676922, within(1e-6));
        // Draws count half: 50 wins, 20 draws, 30 losses is the same score.
        assertThat(gate.decide(50, 20, 30).verdict()).isEqualTo(GateRule.Verdict.PROMOTE);
    }

    @Test
    void gateRejectsAScoreNotSignificantlyAboveHalfAndWaitsForItsGames() {
        // Score 0.55 over 100 games: lower = (0.55 + 0.013528 - 1.644854 √(0.002475 + 0.0000676)) / 1.027055 = 0.467927.
        GateRule gate = GateRule.of(100);
        GateRule.Decision d = gate.decide(55, 0, 45);
        assertThat(d.lower()).isCloseTo(0.467927, within(1e-6));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.REJECT);

        assertThat(gate.decide(59, 0, 0).verdict()).isEqualTo(GateRule.Verdict.PENDING);
        assertThat(gate.decide(0, 0, 0).verdict()).isEqualTo(GateRule.Verdict.PENDING);
        assertThat(gate.decide(0, 0, 0).score()).isNaN();
        assertThatThrownBy(() -> GateRule.of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
