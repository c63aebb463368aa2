package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.gateway.cache.SharedReads;
import io.keisei.gateway.client.DownstreamClient;
import io.keisei.gateway.client.DownstreamResponse;
import io.keisei.gateway.client.Service;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Turns a public API call into a downstream call and the downstream answer into the public one:
 * status, body and the headers a client needs (content type, ETag, Content-Disposition,
 * Retry-After), streamed so that a model download or an export never sits in gateway memory.
 */
@ApplicationScoped
public class Forwarder {

    private final DownstreamClient client;
    private final SharedReads shared;
    private final ObjectMapper json;

    public Forwarder(DownstreamClient client, SharedReads shared, ObjectMapper json) {
        this.client = client;
        this.shared = shared;
        this.json = json;
    }

    /** A GET of live data whose answer is the same for every caller allowed to ask: shared (see {@link SharedReads}). */
    public Response getShared(Service service, String path, UriInfo uri) {
        String pathAndQuery = withQuery(path, uri);
        return shared.get(service, pathAndQuery,
                () -> client.send(service, "GET", pathAndQuery, null, null, Map.of(), false));
    }

    public Response get(Service service, String path, UriInfo uri) {
        return forward(service, "GET", withQuery(path, uri), null, Map.of(), false);
    }

    public Response get(Service service, String path, UriInfo uri, Map<String, String> headers) {
        return forward(service, "GET", withQuery(path, uri), null, headers, false);
    }

    public Response post(Service service, String path, Object body, boolean slow) {
        return forward(service, "POST", path, body, Map.of(), slow);
    }

    public Response put(Service service, String path, Object body) {
        return forward(service, "PUT", path, body, Map.of(), false);
    }

    public Response delete(Service service, String path, UriInfo uri) {
        return forward(service, "DELETE", withQuery(path, uri), null, Map.of(), true);
    }


    public Response forward(Service service, String method, String pathAndQuery, Object body, Map<String, String> headers,
                            boolean slow) {
        DownstreamResponse r;
        try {
            r = client.send(service, method, pathAndQuery, toBytes(body), body == null ? null : "application/json", headers, slow);
        } finally {
            invalidateOnWrite(method);
        }
        return r.toResponse();
    }

    /**
     * Whoever changes something reads the change: shared reads are dropped once the write is answered (reads
     * still in flight then are served to their callers but not kept). All of them, since one write often
     * changes another service too (a start takes an allocation); writes are rare next to reads.
     */
    private void invalidateOnWrite(String method) {
        if (!"GET".equals(method)) {
            shared.invalidateAll();
        }
    }

    public static String withQuery(String path, UriInfo uri) {
        String q = uri == null ? null : uri.getRequestUri().getRawQuery();
        return q == null || q.isEmpty() ? path : path + "?" + q;
    }

    private byte[] toBytes(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof byte[] b) {
            return b;
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
