package io.keisei.training;

import io.keisei.contracts.api.GatingPolicy;
import org.junit.jupiter.api.Test;

import static io.keisei.training.GatePlan.Action.FIRST_BEST;
import static io.keisei.training.GatePlan.Action.IDLE;
import static io.keisei.training.GatePlan.Action.PLAY_MORE;
import static io.keisei.training.GatePlan.Action.PROMOTE;
import static io.keisei.training.GatePlan.Action.REJECT;
import static io.keisei.training.GatePlan.Action.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Hand-checked plans of the automatic gate. The SPRT numbers are {@link SprtTest}'s (default test: elo0 0, elo1 30,
 * alpha = beta = 0.05, bounds ±ln 19 = ±2.944): 60 W 10 D 30 L gives LLR 2.468 (continue), 120 W 20 D 60 L 4.937
 * (accept H1), 500 W 100 D 500 L -4.50 (accept H0). The fixed-games numbers are {@link GateRule}'s: over 100 games,
 * 60 - 40 has the Wilson lower bound 0.518 (promote), 55 - 45 0.468 (reject).
 */
class GatePlannerTest {

    static final GatingPolicy SPRT = new GatingPolicy("sprt", null, null, null, null, null, null, null);
    static final GatingPolicy GAMES = new GatingPolicy("games", null, null, null, null, null, null, null);

    static GatePlan plan(GatingPolicy p, int w, int d, int l) {
        return GatePlanner.plan(p, "best", "challenger", w, d, l, false);
    }

    @Test
    void gatingOffOrNothingToGateIsIdle() {
        assertThat(GatePlanner.plan(GatingPolicy.OFF, "best", "challenger", 0, 0, 0, false).action()).isEqualTo(IDLE);
        assertThat(GatePlanner.plan(null, null, "challenger", 0, 0, 0, false).action()).isEqualTo(IDLE);
        assertThat(GatePlanner.plan(SPRT, "best", null, 0, 0, 0, false).action()).isEqualTo(IDLE);
    }

    @Test
    void aChallengerWaitsWhileAnotherGateRuns() {
        GatePlan p = GatePlanner.plan(SPRT, "best", "challenger", 0, 0, 0, true);
        assertThat(p.action()).isEqualTo(WAIT);
        assertThat(p.decided()).isFalse();
    }

    @Test
    void withoutABestTheFirstCheckpointBecomesItInBothModes() {
        for (GatingPolicy policy : new GatingPolicy[]{SPRT, GAMES}) {
            GatePlan p = GatePlanner.plan(policy, null, "challenger", 0, 0, 0, false);
            assertThat(p.action()).isEqualTo(FIRST_BEST);
            assertThat(p.reason()).isEqualTo("first checkpoint of the session");
        }
    }

    @Test
    void anSprtStartsWithOneBatch() {
        GatePlan p = plan(SPRT, 0, 0, 0);
        assertThat(p.action()).isEqualTo(PLAY_MORE);
        assertThat(p.games()).isEqualTo(GatingPolicy.DEFAULT_SPRT_BATCH);   // 50
        assertThat(p.llr()).isNull();
    }

    @Test
    void anSprtThatAcceptsH1Promotes() {
        GatePlan p = plan(SPRT, 120, 20, 60);
        assertThat(p.action()).isEqualTo(PROMOTE);
        assertThat(p.decided()).isTrue();
        assertThat(p.llr()).isCloseTo(4.9365, within(1e-3));
        assertThat(p.reason()).contains("accepted H1 after 200 games (W 120 D 20 L 60)").contains("LLR 4.94 >= 2.94");
    }

    @Test
    void anSprtThatAcceptsH0Rejects() {
        GatePlan p = plan(SPRT, 500, 100, 500);
        assertThat(p.action()).isEqualTo(REJECT);
        assertThat(p.llr()).isLessThan(-2.944);
        assertThat(p.reason()).contains("accepted H0 after 1100 games");
    }

    @Test
    void anUndecidedSprtPlaysAnotherBatchCutToItsCap() {
        // 100 games, LLR 2.468 inside (-2.944, 2.944): another batch of 50 (100 + 50 <= 1000).
        GatePlan p = plan(SPRT, 60, 10, 30);
        assertThat(p.action()).isEqualTo(PLAY_MORE);
        assertThat(p.games()).isEqualTo(50);
        assertThat(p.llr()).isCloseTo(2.4683, within(1e-3));
        // A cap of 120: only 20 are left.
        GatingPolicy capped = new GatingPolicy("sprt", 50, 120, null, null, null, null, null);
        assertThat(plan(capped, 60, 10, 30).games()).isEqualTo(20);
    }

    @Test
    void anSprtUndecidedAtItsCapIsNotPromoted() {
        GatingPolicy capped = new GatingPolicy("sprt", 50, 100, null, null, null, null, null);
        GatePlan p = plan(capped, 60, 10, 30);
        assertThat(p.action()).isEqualTo(REJECT);
        assertThat(p.reason()).contains("undecided at its cap of 100 games").contains("not promoted");
        // Past the cap (a batch cut short by nothing: all games count) it is the same.
        assertThat(plan(capped, 66, 11, 33).action()).isEqualTo(REJECT);
    }

    @Test
    void theSprtBoundsComeFromThePolicy() {
        // elo1 = 200 (s1 = 1 / (1 + 10^-0.5) = 0.7597) and alpha = beta = 0.4 (bounds ±ln 1.5 = ±0.405): ten straight
        // wins give LLR = 10 ln(s1 / s0) = 10 ln(1.519) = 4.18 (as three wins give 3 ln(s1 / s0) in SprtTest).
        GatingPolicy loose = new GatingPolicy("sprt", 10, 100, 0.0, 200.0, 0.4, 0.4, null);
        GatePlan p = plan(loose, 10, 0, 0);
        assertThat(p.action()).isEqualTo(PROMOTE);
        assertThat(p.llr()).isCloseTo(10 * Math.log(Sprt.expectedScore(200) / 0.5), within(0.05));
    }

    @Test
    void fixedGamesPlayUntilTheirNumberThenTheWilsonBoundDecides() {
        GatePlan start = plan(GAMES, 0, 0, 0);
        assertThat(start.action()).isEqualTo(PLAY_MORE);
        assertThat(start.games()).isEqualTo(GatingPolicy.DEFAULT_FIXED_GAMES);   // 100
        assertThat(plan(GAMES, 20, 5, 5).games()).isEqualTo(70);                  // a short batch: the rest

        GatePlan promoted = plan(GAMES, 60, 0, 40);
        assertThat(promoted.action()).isEqualTo(PROMOTE);
        assertThat(promoted.llr()).isNull();
        assertThat(promoted.reason()).contains("score 60.0% over 100 games (W 60 D 0 L 40)").contains("0.518 is above 0.5");

        GatePlan rejected = plan(GAMES, 55, 0, 45);
        assertThat(rejected.action()).isEqualTo(REJECT);
        assertThat(rejected.reason()).contains("0.468 is not above 0.5");
    }

    @Test
    void fourStraightWinsPassAFourGameGateAndTwoOfFourDoNot() {
        // n = 4, score 1: (1 + z²/8 - z √(z²/64)) / (1 + z²/4) = (1 + 0.3382 - 0.3382) / 1.6764 = 0.5965 > 0.5.
        GatingPolicy four = new GatingPolicy("games", 4, null, null, null, null, null, null);
        assertThat(plan(four, 4, 0, 0).action()).isEqualTo(PROMOTE);
        assertThat(plan(four, 2, 2, 0).action()).isEqualTo(REJECT);
        assertThat(plan(four, 3, 0, 0).action()).isEqualTo(PLAY_MORE);
    }
}
