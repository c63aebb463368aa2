package io.keisei.gateway.auth;

import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.ratelimit.TokenRateLimiter;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;

/**
 * Every /api/v1 request: bearer token → principal (401), per-token rate limit (429 with
 * Retry-After), then the endpoint's {@link Requires} permission (403).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiSecurityFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;
    @Inject
    RoutingContext routing;

    private final TokenAuthenticator authenticator;
    private final TokenRateLimiter rateLimiter;
    private final Caller caller;

    public ApiSecurityFilter(TokenAuthenticator authenticator, TokenRateLimiter rateLimiter, Caller caller) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/") && !path.startsWith("api/v1/")) {
            return;
        }
        Principal principal = authenticator.fromHeader(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                ClientAddress.of(routing));
        caller.set(principal);
        request.setProperty(Principal.class.getName(), principal);
        TokenRateLimiter.Decision decision = rateLimiter.check(principal.tokenId());
        if (!decision.allowed()) {
            throw new ProblemException(429, "Too Many Requests", "rate limit of " + decision.limit()
                    + " requests per second per token exceeded", null, null, decision.retryAfterSeconds());
        }
        Requires required = required();
        if (required != null && !principal.has(required.value())) {
            throw new ProblemException(403, "Forbidden", "role '" + principal.role().wireName() + "' lacks permission '"
                    + required.value().wireName() + "'", null, null, null);
        }
    }

    private Requires required() {
        Method m = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        if (m == null) {
            return null;
        }
        Requires onMethod = m.getAnnotation(Requires.class);
        return onMethod != null ? onMethod : resourceInfo.getResourceClass().getAnnotation(Requires.class);
    }
}
