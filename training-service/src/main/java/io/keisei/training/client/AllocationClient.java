package io.keisei.training.client;

import io.keisei.common.rest.ProblemException;
import io.keisei.common.security.ServiceCredentials;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.training.config.TrainingServiceConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.concurrent.TimeUnit;

/**
 * Asks resource-service for allocations through {@link AllocationApi}. Every call is bounded by
 * {@code keisei.training.resource-service.timeout}; an unreachable resource-service becomes a 503
 * problem with Retry-After, never a hang.
 */
@ApplicationScoped
public class AllocationClient {

    /** The answer to an allocation request: granted now, or queued (state says which). */
    public record Outcome(Allocation allocation, boolean granted) {
    }

    private final AllocationApi api;

    public AllocationClient(TrainingServiceConfig config, ServiceCredentials credentials) {
        long timeout = config.resourceService().timeout().toMillis();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.resourceService().url())
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .register(credentials.clientFilter()) // resource-service answers only holders of the service credential
                .build(AllocationApi.class);
    }

    public Outcome request(AllocationRequest request) {
        RestResponse<Allocation> r = call(() -> api.request(request));
        return new Outcome(r.getEntity(), r.getStatus() == 201);
    }

    /** Releases an allocation; releasing twice is harmless. Failures are reported, not thrown. */
    public boolean release(String id) {
        if (id == null) {
            return true;
        }
        try {
            call(() -> api.release(id));
            return true;
        } catch (ProblemException e) {
            return e.status() == 404;
        }
    }

    private static <T> T call(java.util.function.Supplier<T> c) {
        try {
            return c.get();
        } catch (ProcessingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw ProblemException.unavailable("resource-service is unreachable (" + cause.getClass().getSimpleName() + ")", 5);
        }
    }
}
