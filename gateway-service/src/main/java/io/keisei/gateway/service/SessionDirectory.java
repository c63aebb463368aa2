package io.keisei.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
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
 * changes, so it is kept until the session is deleted) and the base of the status view (refreshed on every
 * lifecycle event of the session).
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
    /**
     * A look-up's outcome: the session (null when it does not exist) or why training-service could not say. A
     * failure is a value, not an exceptional future: Caffeine would log each failed load with its stack trace, once
     * per request for as long as training-service is down.
     */
    private record Lookup(JsonNode session, ProblemException failure) {
    }

    private final AsyncLoadingCache<String, Lookup> sessions = Caffeine.newBuilder().maximumSize(10_000)
            .refreshAfterWrite(Duration.ofSeconds(30)).expireAfterWrite(Duration.ofMinutes(5))
            .executor(fetchers).buildAsync(new CacheLoader<>() {
                @Override
                public Lookup load(String id) {
                    try {
                        return new Lookup(reads.session(id).orElse(null), null);
                    } catch (ProblemException e) {
                        return new Lookup(null, e);
                    }
                }

                @Override
                public Lookup reload(String id, Lookup old) {
                    Lookup now = load(id);
                    // Unreachable: keep serving the record we have and try again in 30 s, rather than once per
                    // request while training-service is down.
                    return now.failure() != null && old.session() != null ? old : now;
                }
            });

    /** Owners by session id: kept until the session is deleted (an owner never changes). */
    private final Cache<String, String> owners = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();

    public SessionDirectory(InternalReads reads) {
        this.reads = reads;
    }

    /** The session as training-service has it; 404 problem when it does not exist. */
    public JsonNode get(String id) {
        CompletableFuture<Lookup> pending = sessions.get(id);
        Lookup lookup;
        try {
            lookup = pending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        if (lookup.failure() != null) {
            sessions.asMap().remove(id, pending); // not kept: the next request asks again
            throw lookup.failure();
        }
        if (lookup.session() == null) {
            sessions.asMap().remove(id, pending); // an unknown id is not kept either (it may be created next)
            throw new ProblemException(404, "Not Found", "no session '" + id + "'", null, null, null);
        }
        return lookup.session();
    }

    /**
     * The session's owner. Kept apart from the record, which every lifecycle event drops: each control call checks
     * ownership, and a start or stop otherwise asked training-service for the whole session first (a round trip on
     * every control call; the owner never changes, only a deletion ends it).
     */
    public String owner(String id) {
        String known = owners.getIfPresent(id);
        if (known != null) {
            return known;
        }
        String owner = get(id).path("owner").asText();
        owners.put(id, owner);
        return owner;
    }

    /** Drops the cached record: the next read asks training-service again. */
    public void forget(String id) {
        sessions.synchronous().invalidate(id);
    }

    /** The session was deleted: its record and its owner are forgotten. */
    public void deleted(String id) {
        owners.invalidate(id);
        forget(id);
    }

    /** A session was just created for {@code owner}: its first control call need not ask who owns it. */
    public void created(String id, String owner) {
        if (id != null && !id.isEmpty() && owner != null && !owner.isEmpty()) {
            owners.put(id, owner);
        }
    }
}
