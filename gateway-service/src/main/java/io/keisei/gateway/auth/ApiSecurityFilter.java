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
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

import java.lang.reflect.Method;

/**
 * Every /api/v1 request: bearer token → principal (401), per-token rate limit (429 with
 * Retry-After), then the endpoint's {@link Requires} permission (403). An endpoint marked
 * {@link AcceptsSignedLink} takes a valid signed link instead of a token (403 for a bad or expired one).
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
    private final DownloadLinks links;

    public ApiSecurityFilter(TokenAuthenticator authenticator, TokenRateLimiter rateLimiter, Caller caller, DownloadLinks links) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.caller = caller;
        this.links = links;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/v1/") && !path.startsWith("api/v1/")) {
            return;
        }
        if (signedLink(request)) {
            return;
        }
        Principal principal = authenticator.fromHeader(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                ClientAddress.of(routing));
        caller.set(principal);
        request.setProperty(Principal.class.getName(), principal);
        TokenRateLimiter.Decision decision = rateLimiter.check(principal.tokenId());
        refuseOverLimit(decision, "token");
        Requires required = required();
        if (required != null && !principal.has(required.value())) {
            throw new ProblemException(403, "Forbidden", "role '" + principal.role().wireName() + "' lacks permission '"
                    + required.value().wireName() + "'", null, null, null);
        }
    }

    /**
     * A request without a token but with a signed link, to an endpoint that accepts one: admitted for the link's
     * target (rate-limited per target), or refused with 403. False when the request is not one.
     */
    private boolean signedLink(ContainerRequestContext request) {
        Method m = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        AcceptsSignedLink accepts = m == null ? null : m.getAnnotation(AcceptsSignedLink.class);
        if (accepts == null || request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        if (!query.containsKey(DownloadLinks.SIGNATURE) && !query.containsKey(DownloadLinks.EXPIRES)) {
            return false;
        }
        String target = request.getUriInfo().getPathParameters().getFirst(accepts.value());
        links.verify(target, query.getFirst(DownloadLinks.EXPIRES), query.getFirst(DownloadLinks.SIGNATURE));
        caller.admitSignedLink(target);
        refuseOverLimit(rateLimiter.check("signed-link:" + target), "signed link");
        return true;
    }

    private static void refuseOverLimit(TokenRateLimiter.Decision decision, String per) {
        if (!decision.allowed()) {
            throw new ProblemException(429, "Too Many Requests", "rate limit of " + decision.limit()
                    + " requests per second per " + per + " exceeded", null, null, decision.retryAfterSeconds());
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
