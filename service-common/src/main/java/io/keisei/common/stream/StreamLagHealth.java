package io.keisei.common.stream;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The "stream-lag" health answer of a service's consumer groups, for its {@code @Wellness} check: DOWN while a
 * group's lag passes {@code keisei.streams.lag.warn-fraction} (half) of its stream's max length, with the data of
 * the group furthest behind (stream, group, lag, maxLength, headroomUsed) and one "stream group" line per group.
 * Wellness, not liveness or readiness: nothing is lost yet and restarting the service would not help; an operator
 * should find why the group is slow (or stopped), or raise the stream's max length, before trimming catches up.
 */
public final class StreamLagHealth {

    public static final String NAME = "stream-lag";

    private StreamLagHealth() {
    }

    public static HealthCheckResponse of(GroupLagMonitor monitor) {
        return of(monitor.latest(), monitor.warnFraction());
    }

    public static HealthCheckResponse of(List<GroupLag> lags, double warnFraction) {
        HealthCheckResponseBuilder r = HealthCheckResponse.named(NAME).withData("groups", lags.size());
        GroupLag worst = lags.stream().max(Comparator.comparingDouble(GroupLag::headroomUsed)).orElse(null);
        if (worst == null) {
            return r.up().build();
        }
        boolean behind = worst.beyond(warnFraction);
        r.status(!behind)
                .withData("stream", worst.stream())
                .withData("group", worst.group())
                .withData("lag", worst.lag())
                .withData("maxLength", worst.maxLength())
                .withData("headroomUsed", String.format(Locale.ROOT, "%.4f", worst.headroomUsed()))
                .withData("estimated", worst.estimated());
        for (GroupLag l : lags) {
            r.withData(l.stream() + " " + l.group(), l.lag() + " of " + l.maxLength() + " entries ("
                    + GroupLagMonitor.percent(l.headroomUsed()) + ")");
        }
        if (behind) {
            r.withData("degraded", "group " + worst.group() + " has " + worst.lag() + " entries of " + worst.stream()
                    + " to process, more than " + GroupLagMonitor.percent(warnFraction) + " of the stream's max length "
                    + worst.maxLength() + ": at 100% trimming drops entries it has not read; find why it is slow or "
                    + "stopped, or raise " + GroupLagMonitor.setting(worst.stream()));
        }
        return r.build();
    }
}
