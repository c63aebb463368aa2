package io.keisei.launcher;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RestartPolicyTest {

    private static final Instant T0 = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void firstFailureRestartsAfterOneSecond() {
        RestartPolicy.Decision d = RestartPolicy.decide(RestartPolicy.History.empty(), T0, T0.plusSeconds(10));
        assertThat(d.giveUp()).isFalse();
        assertThat(d.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.at()).isEqualTo(T0.plusSeconds(11));
        assertThat(d.restartNumber()).isEqualTo(1);
        assertThat(d.next().total()).isEqualTo(1);
    }

    @Test
    void backOffDoublesAndIsCappedAtThirtySeconds() {
        // Failures 6 minutes apart (outside the loop window) but each run short: the back-off keeps growing.
        RestartPolicy.History h = RestartPolicy.History.empty();
        List<Long> delays = new ArrayList<>();
        Instant now = T0;
        for (int i = 0; i < 8; i++) {
            RestartPolicy.Decision d = RestartPolicy.decide(h, now.minusSeconds(5), now);
            assertThat(d.giveUp()).isFalse();
            delays.add(d.delay().toSeconds());
            h = d.next();
            now = now.plus(Duration.ofMinutes(6));
        }
        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
        assertThat(h.total()).isEqualTo(8);
    }

    @Test
    void sixtySecondsHealthyResetsTheBackOff() {
        RestartPolicy.History h = RestartPolicy.History.empty();
        Instant now = T0;
        for (int i = 0; i < 3; i++) {
            RestartPolicy.Decision d = RestartPolicy.decide(h, now.minusSeconds(2), now);
            h = d.next();
            now = d.at().plusSeconds(2);
        }
        assertThat(RestartPolicy.decide(h, now.minusSeconds(59), now).delay()).isEqualTo(Duration.ofSeconds(8));
        RestartPolicy.Decision reset = RestartPolicy.decide(h, now.minusSeconds(60), now);
        assertThat(reset.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(reset.restartNumber()).isEqualTo(4);
        assertThat(RestartPolicy.decide(reset.next(), reset.at(), reset.at().plusSeconds(1)).delay())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fiveRestartsInFiveMinutesThenAFailureIsACrashLoop() {
        RestartPolicy.History h = RestartPolicy.History.empty();
        Instant now = T0;
        for (int i = 0; i < 5; i++) {
            RestartPolicy.Decision d = RestartPolicy.decide(h, now.minusSeconds(1), now);
            assertThat(d.giveUp()).as("failure %d", i + 1).isFalse();
            h = d.next();
            now = d.at().plusSeconds(3);
        }
        assertThat(Duration.between(T0, now)).isLessThan(Duration.ofMinutes(5));
        RestartPolicy.Decision loop = RestartPolicy.decide(h, now.minusSeconds(1), now);
        assertThat(loop.giveUp()).isTrue();
        assertThat(loop.recentRestarts()).isEqualTo(5);
        assertThat(loop.restartNumber()).isEqualTo(5);
    }

    @Test
    void restartsOlderThanFiveMinutesDoNotCountTowardsALoop() {
        RestartPolicy.History h = new RestartPolicy.History(List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20),
                T0.plusSeconds(30), T0.plusSeconds(40)), 5, 5);
        RestartPolicy.Decision d = RestartPolicy.decide(h, T0.plusSeconds(300), T0.plusSeconds(305));
        assertThat(d.giveUp()).isFalse();
        assertThat(d.recentRestarts()).isEqualTo(5);
        assertThat(d.next().restarts()).hasSize(5).doesNotContain(T0);
        assertThat(RestartPolicy.decide(h, T0.plusSeconds(45), T0.plusSeconds(50)).giveUp()).isTrue();
    }
}
