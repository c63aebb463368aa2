package io.keisei.common.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.Problem;
import io.keisei.contracts.ServiceCredential;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Internal services answer only callers that present the service credential in
 * {@link ServiceCredential#HEADER}: every route, JAX-RS resources and Quarkus' own {@code /q/*}
 * (metrics, OpenAPI) alike, since this is a Vert.x route filter and not a JAX-RS one. Only the
 * health probes ({@code /q/health*}) stay open, for the kubelet and the launcher. A missing or wrong
 * credential gets 401 problem+json. Active where {@code keisei.service-auth.required} is true.
 */
@Singleton
public class ServiceCredentialFilter {

    private static final Logger LOG = Logger.getLogger(ServiceCredentialFilter.class);

    /** Before Quarkus' own route handlers and any filter of a service. */
    static final int PRIORITY = 10_000;

    static final String MISSING = "this internal service answers only the gateway and other Keisei services: send the "
            + "service credential in the " + ServiceCredential.HEADER + " header";
    static final String WRONG = "the " + ServiceCredential.HEADER + " header does not hold this suite's service credential";

    private final ServiceAuthConfig config;
    private final ServiceCredentials credentials;
    private final ObjectMapper json;

    public ServiceCredentialFilter(ServiceAuthConfig config, ServiceCredentials credentials, ObjectMapper json) {
        this.config = config;
        this.credentials = credentials;
        this.json = json;
    }

    void register(@Observes Filters filters) {
        if (config.required()) {
            filters.register(this::check, PRIORITY);
        }
    }

    void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (isOpen(path, LaunchMode.current())) {
            ctx.next();
            return;
        }
        String presented = ctx.request().getHeader(ServiceCredential.HEADER);
        if (credentials.matches(presented)) {
            ctx.next();
            return;
        }
        String detail = presented == null ? MISSING : WRONG;
        LOG.debugf("refused %s %s from %s: %s", ctx.request().method(), path, ctx.request().remoteAddress(),
                presented == null ? "no service credential" : "wrong service credential");
        ctx.response().setStatusCode(401)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(body(new Problem("about:blank", "Unauthorized", 401, detail, path, null, null)));
    }

    /**
     * Health probes (liveness, readiness, start-up) carry no credential; in dev mode the Dev UI, which
     * Quarkus serves to localhost only, stays usable in a browser. Paths are normalized by Vert.x, so
     * {@code /q/health/../metrics} is {@code /q/metrics}.
     */
    static boolean isOpen(String path, LaunchMode mode) {
        if (path == null) {
            return false;
        }
        if (path.equals("/q/health") || path.startsWith("/q/health/")) {
            return true;
        }
        return mode == LaunchMode.DEVELOPMENT && (path.equals("/q/dev-ui") || path.startsWith("/q/dev-ui/"));
    }

    private Buffer body(Problem p) {
        try {
            return Buffer.buffer(json.writeValueAsBytes(p));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
