package io.keisei.gateway.cache;

import io.keisei.gateway.client.DownstreamClient;
import io.keisei.gateway.client.DownstreamResponse;
import io.keisei.gateway.client.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;

/** GETs answered through the two-level {@link ResponseCache}, with ETag and If-None-Match. */
@ApplicationScoped
public class CachedReads {

    /** Cache key prefixes, also used for invalidation. */
    public static final String CONFIG = "config:";
    public static final String SESSION_CONFIG = "session-config:";
    public static final String MODELS = "models:";

    private final ResponseCache cache;
    private final DownstreamClient client;

    public CachedReads(ResponseCache cache, DownstreamClient client) {
        this.cache = cache;
        this.client = client;
    }

    public Response get(String key, Service service, String pathAndQuery, String ifNoneMatch) {
        DownstreamResponse[] uncacheable = new DownstreamResponse[1];
        Optional<CachedResponse> hit = cache.get(key, () -> {
            DownstreamResponse r = client.send(service, "GET", pathAndQuery, null, null, Map.of(), false);
            if (r.status() != 200) {
                uncacheable[0] = r;
                return Optional.empty();
            }
            byte[] body = r.bytes();
            String etag = r.header("ETag") != null ? r.header("ETag") : ResponseCache.etagOf(body);
            String type = r.header("Content-Type") != null ? r.header("Content-Type") : "application/json";
            return Optional.of(new CachedResponse(type, etag, body));
        });
        return hit.map(c -> c.toResponse(ifNoneMatch)).orElseGet(() -> uncacheable[0].toResponse());
    }
}
