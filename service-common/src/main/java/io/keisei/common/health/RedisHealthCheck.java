package io.keisei.common.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.Wellness;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;

import java.time.Duration;

/**
 * "redis" (/q/health/well): DOWN with {@code error} and {@code downSince} while Redis does not answer a
 * PING within {@code keisei.health.dependency-timeout}. Wellness, not readiness: what does not need Redis
 * keeps working, so the service is degraded, not dead (see {@link DependencyProbe}).
 */
@Wellness
@ApplicationScoped
public class RedisHealthCheck implements AsyncHealthCheck {

    private final DependencyProbe probe;

    public RedisHealthCheck(Redis redis, @ConfigProperty(name = "keisei.health.dependency-timeout", defaultValue = "800ms")
            Duration timeout) {
        this.probe = RedisPing.probe(redis, timeout);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check();
    }
}
