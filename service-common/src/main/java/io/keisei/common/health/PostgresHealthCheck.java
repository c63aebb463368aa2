package io.keisei.common.health;

import io.agroal.api.AgroalDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;

/**
 * "postgresql" (/q/health/well): DOWN with {@code error} and {@code downSince} while no pooled connection
 * passes its validation query within {@code keisei.health.dependency-timeout}. Wellness, not readiness: the
 * API answers 503 with Retry-After meanwhile, and liveness must not restart a service for its database.
 */
@Wellness
@ApplicationScoped
public class PostgresHealthCheck implements AsyncHealthCheck {

    private final DependencyProbe probe;

    public PostgresHealthCheck(AgroalDataSource dataSource,
                               @ConfigProperty(name = "keisei.health.dependency-timeout", defaultValue = "800ms") Duration timeout) {
        this.probe = DatabasePing.probe(dataSource, timeout);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
