package io.keisei.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.downstream.DownstreamResponse;
import io.keisei.gateway.downstream.Forwarder;
import io.keisei.gateway.downstream.Service;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * Session records from training-service, briefly cached: the owner for permission checks (it never
 * changes) and the base of the status view (refreshed on every lifecycle event of the session).
 */
@ApplicationScoped
public class SessionDirectory {

    private final Forwarder forwarder;
    private final Cache<String, JsonNode> sessions = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(30)).build();

    public SessionDirectory(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    /** The session as training-service has it; 404 problem when it does not exist. */
    public JsonNode get(String id) {
        JsonNode cached = sessions.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        DownstreamResponse r = forwarder.call(Service.TRAINING, "GET", "/sessions/" + id, null, false);
        if (r.status() == 404) {
            r.bytes();
            throw new ProblemException(404, "Not Found", "no session '" + id + "'", null, null, null);
        }
        if (!r.ok()) {
            r.bytes();
            throw new ProblemException(502, "Bad Gateway", "training-service answered " + r.status(), null, null, null);
        }
        JsonNode s = forwarder.readJson(r);
        sessions.put(id, s);
        return s;
    }

    public String owner(String id) {
        return get(id).path("owner").asText();
    }

    /** Drops the cached record: the next read asks training-service again. */
    public void forget(String id) {
        sessions.invalidate(id);
    }

    public void remember(JsonNode session) {
        if (session != null && session.hasNonNull("id")) {
            sessions.put(session.get("id").asText(), session);
        }
    }
}
