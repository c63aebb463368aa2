package io.keisei.gateway.perf;

import io.keisei.gateway.audit.AuditLog;
import io.keisei.gateway.auth.ClientAddress;
import io.keisei.gateway.auth.Principal;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * Times every /api/v1 call per endpoint template (for /api/v1/performance) and audits every
 * mutating one (who, what, when, result), including refused ones.
 */
@Provider
@PreMatching
@Priority(1)
public class ApiObservationFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String STARTED = ApiObservationFilter.class.getName() + ".started";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");

    @Context
    ResourceInfo resourceInfo;
    @Inject
    RoutingContext routing;

    private final EndpointStats stats;
    private final AuditLog audit;

    public ApiObservationFilter(EndpointStats stats, AuditLog audit) {
        this.stats = stats;
        this.audit = audit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object started = request.getProperty(STARTED);
        String path = request.getUriInfo().getPath();
        if (!(started instanceof Long t0) || !path.startsWith("/api/v1")) {
            return;
        }
        long nanos = System.nanoTime() - t0;
        String method = request.getMethod();
        stats.record(method + " " + template(path), nanos, response.getStatus());
        if (MUTATING.contains(method)) {
            Principal p = (Principal) request.getProperty(Principal.class.getName());
            String address = ClientAddress.of(routing);
            if (p == null) {
                audit.refused(address, method, path, response.getStatus());
            } else {
                audit.record(p.tokenId(), p.name(), p.role().wireName(), address, method, path, response.getStatus(),
                        (int) (nanos / 1_000_000));
            }
        }
    }

    private String template(String path) {
        Method m = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (m == null) {
            return "(unmatched)";
        }
        jakarta.ws.rs.Path onClass = resourceInfo.getResourceClass().getAnnotation(jakarta.ws.rs.Path.class);
        jakarta.ws.rs.Path onMethod = m.getAnnotation(jakarta.ws.rs.Path.class);
        return (onClass == null ? "" : onClass.value()) + (onMethod == null ? "" : onMethod.value());
    }
}
