package io.keisei.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Request-line and body limits answered as problem+json. The HTTP server's own limits (Vert.x's
 * request-line length, Quarkus's body size) answer 414 and 413 with an empty body before any handler
 * runs, so they are set well above these and the requests a client can reasonably make are refused
 * here, with a reason: {@code KEISEI_HTTP_MAX_URI_LENGTH}, {@code KEISEI_HTTP_MAX_BODY_BYTES}.
 */
@ApplicationScoped
public class HttpLimits {

    /** Before the credential check and every route: a refused request costs nothing more. */
    private static final int PRIORITY = 1_000;

    private final int maxUriLength;
    private final long maxBodyBytes;
    private final ObjectMapper json;

    public HttpLimits(@ConfigProperty(name = "keisei.http.max-uri-length", defaultValue = "8192") int maxUriLength,
                      @ConfigProperty(name = "keisei.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes,
                      ObjectMapper json) {
        this.maxUriLength = maxUriLength;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext ctx) {
        String uri = ctx.request().uri();
        if (uri != null && uri.length() > maxUriLength) {
            refuse(ctx, 414, "URI Too Long", "the request URI is " + uri.length() + " characters; at most " + maxUriLength
                    + " are accepted (send long lists in a body, or page)");
            return;
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "Bad Request", "Content-Length is not a number");
                return;
            }
            if (n > maxBodyBytes) {
                refuse(ctx, 413, "Content Too Large", "the body is " + n + " bytes; at most " + maxBodyBytes + " are accepted");
                return;
            }
        }
        ctx.next();
    }

    private void refuse(RoutingContext ctx, int status, String title, String detail) {
        String path = ctx.normalizedPath();
        byte[] body;
        try {
            body = json.writeValueAsBytes(new Problem("about:blank", title, status, detail,
                    path != null && path.length() <= 256 ? path : null, null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The body is not read: close the connection after answering rather than drain a large upload.
        ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Connection", "close")
                .end(Buffer.buffer(body));
    }
}
