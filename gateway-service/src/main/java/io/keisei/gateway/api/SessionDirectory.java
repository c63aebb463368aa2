package io.keisei.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.downstream.DownstreamResponse;
import io.keisei.gateway.downstream.Forwarder;
import io.keisei.gateway.downstream.Service;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Session records from training-service, briefly cached: the owner for permission checks (it never
 * changes) and the base of the status view (refreshed on every lifecycle event of the session).
 * Callers asking for the same record while it is being fetched wait for that one fetch: after a
 * lifecycle event drops a record, a status path polled a thousand times a second makes one call to
 * training-service, not one per request (which used to exhaust the bulkhead and answer 503s).
 */
@ApplicationScoped
public class SessionDirectory {

    private final Forwarder forwarder;
    private final AsyncCache<String, JsonNode> sessions = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).buildAsync();

    public SessionDirectory(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** The session as training-service has it; 404 problem when it does not exist. */
    public JsonNode get(String id) {
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        CompletableFuture<JsonNode> prior = sessions.asMap().putIfAbsent(id, mine);
        if (prior != null) {
            try {
                return prior.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
        }
        try {
            // Fetched on this thread; a failed fetch is not kept, so the next caller retries.
            JsonNode s = fetch(id);
            mine.complete(s);
            return s;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            sessions.asMap().remove(id, mine);
            throw e;
        }
    }

    private JsonNode fetch(String id) {
        DownstreamResponse r = forwarder.call(Service.TRAINING, "GET", "/sessions/" + id, null, false);
        if (r.status() == 404) {
            r.bytes();
            throw new ProblemException(404, "Not Found", "no session '" + id + "'", null, null, null);
        }
        if (!r.ok()) {
            r.bytes();
            throw new ProblemException(502, "Bad Gateway", "training-service answered " + r.status(), null, null, null);
        }
        return forwarder.readJson(r);
    }

    public String owner(String id) {
        return get(id).path("owner").asText();
    }

    /** Drops the cached record: the next read asks training-service again. */
    public void forget(String id) {
        sessions.synchronous().invalidate(id);
    }

    public void remember(JsonNode session) {
        if (session != null && session.hasNonNull("id")) {
            sessions.put(session.get("id").asText(), CompletableFuture.completedFuture(session));
        }
    }
}
