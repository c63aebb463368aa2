package io.keisei.common.outbox;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The "outbox" health answer of a relay, for a service's {@code @Wellness} check: DOWN while events
 * have waited longer than {@code staleAfter} (typically Redis is down). Wellness, not liveness or
 * readiness: the database stays right and the service keeps working, the events follow once Redis
 * answers, so the service is degraded, not dead.
 */
public final class OutboxHealth {

    private OutboxHealth() {
    }

    public static HealthCheckResponse of(OutboxRelay relay) {
        OutboxRelay.Backlog b = relay.backlog();
        boolean stale = b.staleFor(relay.settings().staleAfter());
        HealthCheckResponseBuilder r = HealthCheckResponse.named("outbox").status(!stale)
                .withData("table", relay.table())
                .withData("backlog", b.rows())
                .withData("oldestAgeSeconds", b.oldestAge().toSeconds())
                .withData("relaying", !relay.failing());
        if (stale) {
            r.withData("degraded", "events wait longer than " + relay.settings().staleAfter().toSeconds()
                    + " s to reach their stream (is Redis down?); they are sent when it answers");
        }
        return r.build();
    }
}
