package io.keisei.gateway.cache;

import jakarta.ws.rs.core.Response;

import java.util.Arrays;
import java.util.Objects;

/** A cached 200 answer: enough to serve it again, or a 304 when the client's ETag matches. */
public record CachedResponse(String contentType, String etag, byte[] body) {

    public CachedResponse {
        Objects.requireNonNull(etag);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** 304 when {@code ifNoneMatch} names this ETag (or is '*'), else the 200 with the body. */
    public Response toResponse(String ifNoneMatch) {
        if (ifNoneMatch != null && matches(ifNoneMatch)) {
            return Response.notModified().header("ETag", etag).header("Cache-Control", "private, no-cache").build();
        }
        return Response.ok(body, contentType).header("ETag", etag).header("Cache-Control", "private, no-cache").build();
    }

    private boolean matches(String ifNoneMatch) {
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
                .anyMatch(t -> t.equals("*") || t.equals(etag) || t.equals("W/" + etag));
    }
}
