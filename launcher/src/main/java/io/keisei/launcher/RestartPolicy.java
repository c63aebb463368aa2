package io.keisei.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What to do when a supervised component (a service, Redis, PostgreSQL) has failed: exited, or stopped answering its
 * health check. Pure: given the component's history and the clock it returns a {@link Decision}; the supervisor
 * acts on it. Back-off starts at 1 s and doubles up to 30 s; a run that stayed up for 60 s resets it; a component
 * restarted 5 times within 5 minutes that fails again is in a crash loop and is given up on.
 */
public final class RestartPolicy {

    public static final Duration INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration MAX_DELAY = Duration.ofSeconds(30);
    public static final Duration HEALTHY_RESET = Duration.ofSeconds(60);
    public static final Duration LOOP_WINDOW = Duration.ofMinutes(5);
    public static final int LOOP_RESTARTS = 5;

    private RestartPolicy() {
    }

    /**
     * A component's restart history.
     *
     * @param restarts    when each restart was decided, oldest first (only those still in the loop window are kept)
     * @param consecutive restarts since the component last ran for {@link #HEALTHY_RESET}: the back-off exponent
     * @param total       restarts since the suite started (what status shows)
     */
    public record History(List<Instant> restarts, int consecutive, int total) {
        public History {
            restarts = List.copyOf(restarts);
        }

        public static History empty() {
            return new History(List.of(), 0, 0);
        }
    }

    /** Restart at {@code at} (after {@code delay}), or give up ({@code giveUp}); {@code next} is the history after it. */
    public record Decision(boolean giveUp, Instant at, Duration delay, int restartNumber, int recentRestarts, History next) {
    }

    /**
     * @param history  the history before this failure
     * @param started  when the failed run started
     * @param failedAt when it failed (exit seen, or hang detected)
     */
    public static Decision decide(History history, Instant started, Instant failedAt) {
        Instant windowStart = failedAt.minus(LOOP_WINDOW);
        List<Instant> recent = new ArrayList<>(history.restarts().stream().filter(t -> t.isAfter(windowStart)).toList());
        if (recent.size() >= LOOP_RESTARTS) {
            return new Decision(true, null, null, history.total(), recent.size(),
                    new History(recent, history.consecutive(), history.total()));
        }
        boolean healthyLongEnough = Duration.between(started, failedAt).compareTo(HEALTHY_RESET) >= 0;
        int exponent = healthyLongEnough ? 0 : history.consecutive();
        Duration delay = delay(exponent);
        recent.add(failedAt);
        int number = history.total() + 1;
        return new Decision(false, failedAt.plus(delay), delay, number, recent.size(),
                new History(recent, exponent + 1, number));
    }

    /** 1 s, 2 s, 4 s, 8 s, 16 s, then 30 s. */
    static Duration delay(int exponent) {
        if (exponent >= 5) {
            return MAX_DELAY;
        }
        Duration d = INITIAL_DELAY.multipliedBy(1L << exponent);
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }
}
