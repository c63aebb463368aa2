package io.keisei.training;

import io.keisei.training.service.LeaseDeadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** When a replica stops trusting its own lease, by its monotonic clock. */
class LeaseDeadlineTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aLeaseIsTrustedUntilItsDurationLessTheMarginCountedFromWhenTheRenewalWasSent() {
        LeaseDeadline d = new LeaseDeadline(Duration.ofSeconds(15), Duration.ofSeconds(3));
        assertThat(d.held(0)).as("never renewed").isFalse();
        d.renewed(100 * S);
        assertThat(d.held(100 * S)).isTrue();
        assertThat(d.held(111 * S)).isTrue();
        assertThat(d.held(112 * S)).as("15 s - 3 s after the renewal was sent").isFalse();
        d.renewed(110 * S);
        assertThat(d.held(121 * S)).isTrue();
        d.lost();
        assertThat(d.held(111 * S)).isFalse();
    }

    @Test
    void theMonotonicClockMayWrap() {
        LeaseDeadline d = new LeaseDeadline(Duration.ofSeconds(15), Duration.ofSeconds(3));
        d.renewed(Long.MAX_VALUE - S);
        assertThat(d.held(Long.MAX_VALUE)).isTrue();
        assertThat(d.held(Long.MIN_VALUE + 5 * S)).isTrue();
        assertThat(d.held(Long.MIN_VALUE + 12 * S)).isFalse();
    }
}
