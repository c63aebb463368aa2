package io.keisei.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.client.InternalReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Session records from training-service, briefly cached: the owner for permission checks (it never
 * changes) and the base of the status view (refreshed on every lifecycle event of the session).
 * Callers asking for the same record while it is being fetched wait for that one fetch: after a
 * lifecycle event drops a record, a status path polled a thousand times a second makes one call to
 * training-service, not one per request (which would fill the bulkhead and answer 503s). A
 * record older than 30 s is refreshed in the background while callers keep getting the one they
 * have; only a lifecycle event (which may change the state) makes callers wait for a fresh one.
 */
@ApplicationScoped
public class SessionDirectory {

    private final InternalReads reads;
    private final ExecutorService fetchers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "session-directory-fetch");
        t.setDaemon(true);
        return t;
    });
    private final AsyncLoadingCache<String, JsonNode> sessions = Caffeine.newBuilder().maximumSize(10_000)
            .refreshAfterWrite(Duration.ofSeconds(30)).expireAfterWrite(Duration.ofMinutes(5))
            .executor(fetchers).buildAsync(new CacheLoader<>() {
                /** Null for a session that does not exist: nothing is kept, and an unknown id is not a failure to log. */
                @Override
                public JsonNode load(String id) {
                    return reads.session(id).orElse(null);
                }

                @Override
                public JsonNode reload(String id, JsonNode old) {
                    try {
                        return reads.session(id).orElse(null);
                    } catch (ProblemException e) {
                        // Unreachable: keep serving the record we have and try again in 30 s, rather than once per
                        // request (and a logged failure each time) while training-service is down.
                        return old;
                    }
                }
            });

    public SessionDirectory(InternalReads reads) {
        this.reads = reads;
    }

    /** The session as training-service has it; 404 problem when it does not exist. */
    public JsonNode get(String id) {
        JsonNode session;
        try {
            session = sessions.get(id).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        if (session == null) {
            throw new ProblemException(404, "Not Found", "no session '" + id + "'", null, null, null);
        }
        return session;
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
