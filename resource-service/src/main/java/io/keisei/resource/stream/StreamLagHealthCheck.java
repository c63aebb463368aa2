package io.keisei.resource.stream;

import io.keisei.common.stream.GroupLagMonitor;
import io.keisei.common.stream.StreamLagHealth;
import io.keisei.contracts.Streams;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * "stream-lag" (/q/health/well): DOWN while the consumer group "resource-service" on keisei:events lags more than
 * half of its stream's max length ({@code keisei.streams.lag.warn-fraction}), before trimming could drop entries it
 * has not read; the lag of each group is also the gauge {@code keisei.stream.group.lag} (see {@link
 * GroupLagMonitor}, {@link StreamLagHealth}).
 */
@Wellness
@ApplicationScoped
public class StreamLagHealthCheck implements HealthCheck {

    private final GroupLagMonitor monitor;

    public StreamLagHealthCheck(GroupLagMonitor monitor) {
        this.monitor = monitor;
    }

    void onStart(@Observes StartupEvent ev) {
        monitor.watch(Streams.EVENTS, SessionEventConsumer.GROUP);
    }

    @Override
    public HealthCheckResponse call() {
        return StreamLagHealth.of(monitor);
    }
}
