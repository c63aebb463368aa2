package io.keisei.gateway.progress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProgressRateTest {

    /** Feeds records every {@code everyMillis} at {@code sps} steps per second from (step, time); answers the next time. */
    private static long feed(ProgressRate r, int attempt, long step, long time, double sps, long everyMillis, int records) {
        for (int i = 0; i < records; i++) {
            r.observe(attempt, step + Math.round(sps * i * everyMillis / 1000.0), time + i * everyMillis);
        }
        return time + records * everyMillis;
    }

    @Test
    void aSteadySpeedIsMeasuredExactlyOnceWarmedUp() {
        ProgressRate r = new ProgressRate();
        r.observe(1, 0, 0);
        r.observe(1, 400, 2_000);
        assertThat(r.stepsPerSecond()).as("two seconds of records are too few to say").isNull();
        feed(r, 1, 0, 0, 200, 500, 40);
        assertThat(r.stepsPerSecond()).isCloseTo(200, within(0.5));
        assertThat(r.etaSeconds(10_000, 50_000L)).isEqualTo(200);
    }

    @Test
    void jitterBetweenReportsDoesNotSwingTheEstimate() {
        // A trainer alternating 100 and 300 steps/s every half second (epochs of rollout and update): 200 on average.
        ProgressRate r = new ProgressRate();
        long step = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (int i = 0; i <= 600; i++) {
            r.observe(1, step, i * 500L);
            step += i % 2 == 0 ? 50 : 150;
            if (i > 120 && r.stepsPerSecond() != null) {
                min = Math.min(min, r.stepsPerSecond());
                max = Math.max(max, r.stepsPerSecond());
            }
        }
        assertThat(min).isGreaterThan(195);
        assertThat(max).isLessThan(205);
    }

    @Test
    void aChangeOfSpeedIsFollowedWithinMinutesNotSeconds() {
        ProgressRate r = new ProgressRate();
        long t = feed(r, 1, 0, 0, 100, 1_000, 300);
        feed(r, 1, 30_000, t, 400, 1_000, 10);
        assertThat(r.stepsPerSecond()).as("10 s after the change: still mostly the old speed").isBetween(120.0, 200.0);
        feed(r, 1, 34_000, t + 10_000, 400, 1_000, 290);
        assertThat(r.stepsPerSecond()).isCloseTo(400, within(5.0));
    }

    @Test
    void aResumedAttemptAStepBackOrALongGapStartOver() {
        ProgressRate r = new ProgressRate();
        long t = feed(r, 1, 0, 0, 100, 1_000, 60);
        r.observe(2, 6_000, t + 1_000);
        assertThat(r.stepsPerSecond()).as("a new attempt").isNull();
        t = feed(r, 2, 6_000, t + 1_000, 300, 1_000, 20);
        assertThat(r.stepsPerSecond()).isCloseTo(300, within(1.0));
        r.observe(2, 100, t);
        assertThat(r.stepsPerSecond()).as("a step that goes back").isNull();
        t = feed(r, 2, 100, t, 300, 1_000, 20);
        r.observe(2, 100 + 300 * 20 + 10, t + ProgressRate.STALE_MILLIS + 1);
        assertThat(r.stepsPerSecond()).as("the trainer was silent for minutes").isNull();
    }

    @Test
    void pausedMeansNoSpeedAndNoEta() {
        ProgressRate r = new ProgressRate();
        feed(r, 1, 0, 0, 100, 1_000, 30);
        r.reset();
        assertThat(r.stepsPerSecond()).isNull();
        assertThat(r.etaSeconds(1_000, 10_000L)).isNull();
    }

    @Test
    void theEtaFormula() {
        assertThat(ProgressRate.eta(100.0, 1_000, 2_000L)).isEqualTo(10);
        assertThat(ProgressRate.eta(3.0, 0, 10L)).as("rounded up").isEqualTo(4);
        assertThat(ProgressRate.eta(100.0, 3_000, 2_000L)).as("past the total").isZero();
        assertThat(ProgressRate.eta(null, 0, 10L)).isNull();
        assertThat(ProgressRate.eta(0.0, 0, 10L)).isNull();
        assertThat(ProgressRate.eta(5.0, 0, null)).isNull();
    }
}
