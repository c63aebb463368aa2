package io.keisei.gateway.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.Problem;
import io.keisei.gateway.audit.AuditLog;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Set;

/**
 * Refuses an address that spent its budget of failed authentications before the request enters
 * the REST stack: a flood of bad tokens then costs a hash and a map lookup per request, and the
 * requests of everyone else keep the CPU. {@link ApiSecurityFilter} applies the same rule to what
 * gets past here (it counts the failures).
 */
@ApplicationScoped
public class FailedAuthGate {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE", "PATCH");

    private final TokenAuthenticator authenticator;
    private final AuditLog audit;
    private final Buffer body;

    public FailedAuthGate(TokenAuthenticator authenticator, AuditLog audit, ObjectMapper json) throws JsonProcessingException {
        this.authenticator = authenticator;
        this.audit = audit;
        this.body = Buffer.buffer(json.writeValueAsBytes(
                new Problem("about:blank", "Too Many Requests", 429, TokenAuthenticator.REFUSED, null, null, null)));
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 500);
    }

    void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path == null || !path.startsWith("/api/v1/")) {
            ctx.next();
            return;
        }
        String address = ClientAddress.of(ctx);
        long retryAfter = authenticator.refusedFor(ctx.request().getHeader("Authorization"), address);
        if (retryAfter == 0) {
            ctx.next();
            return;
        }
        String method = ctx.request().method().name();
        if (MUTATING.contains(method)) {
            audit.refused(address, method, path, 429);
        }
        ctx.response().setStatusCode(429).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Retry-After", String.valueOf(retryAfter)).end(body.copy());
    }
}
