package io.keisei.resource.stream;

import io.keisei.common.outbox.OutboxHealth;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * "outbox" (/q/health/well): DOWN while allocation events wait longer than
 * {@code keisei.resources.outbox.stale-after} (typically Redis is down); degraded, not dead, so
 * liveness and readiness stay UP (see {@link OutboxHealth}).
 */
@Wellness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final AllocationEventPublisher events;

    public OutboxHealthCheck(AllocationEventPublisher events) {
        this.events = events;
    }

    @Override
    public HealthCheckResponse call() {
        return OutboxHealth.of(events.relay());
    }
}
