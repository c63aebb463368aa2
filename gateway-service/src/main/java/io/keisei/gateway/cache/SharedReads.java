package io.keisei.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.keisei.gateway.client.DownstreamResponse;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Reads of live data (session lists, metric history, model lists, allocations, games) shared by
 * everyone who asks the same thing at about the same time: identical GETs in flight together make
 * one downstream call, and a 200 answer is reused for a short window ({@code live-ttl}, 1 s by
 * default) instead of asking again. A team watching the same run, or a dashboard polled by twenty
 * people, then costs the internal services one call per window rather than one per viewer.
 *
 * <p>Freshness: any write this replica forwards to a service drops that service's shared answers at
 * once (so whoever changed something reads the change), lifecycle events drop them on every replica,
 * and an answer whose call started before a drop is handed to the callers that were already waiting
 * but never kept. Permissions are checked before a read gets here, and the downstream answers
 * shared here do not depend on who asks.
 */
@ApplicationScoped
public class SharedReads {

    /** A downstream answer read in full. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        Response toResponse() {
            Response.ResponseBuilder rb = Response.status(status);
            headers.forEach(rb::header);
            return status == 204 || status == 304 ? rb.build() : rb.entity(body).build();
        }
    }

    private final Cache<String, CompletableFuture<Answer>> answers;
    private final boolean enabled;
    private final Counter shared;
    private final Counter called;

    @Inject
    public SharedReads(GatewayConfig config, MeterRegistry registry) {
        this(config.cache().liveTtl(), config.cache().maxBodyBytes(), config.cache().liveMaxBytes(), registry);
    }

    SharedReads(Duration ttl, long maxBody, long maxBytes, MeterRegistry registry) {
        long ttlNanos = ttl.toNanos();
        this.enabled = ttlNanos > 0;
        this.answers = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, CompletableFuture<Answer> f) -> f.isDone() && !f.isCompletedExceptionally()
                        ? f.join().body().length + k.length() : k.length())
                .expireAfter(new Expiry<String, CompletableFuture<Answer>>() {
                    @Override
                    public long expireAfterCreate(String key, CompletableFuture<Answer> value, long currentTime) {
                        // Until the call ends (the call itself is bounded by the downstream timeout).
                        return Long.MAX_VALUE;
                    }

                    @Override
                    public long expireAfterUpdate(String key, CompletableFuture<Answer> value, long currentTime,
                                                  long currentDuration) {
                        Answer a = value.getNow(null);
                        // Only a whole 200 of a sensible size is reused; anything else served the waiting callers only.
                        return a != null && a.status() == 200 && a.body().length <= maxBody ? ttlNanos : 0;
                    }

                    @Override
                    public long expireAfterRead(String key, CompletableFuture<Answer> value, long currentTime,
                                                long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
        this.shared = registry.counter("keisei_gateway_shared_reads_total", "result", "shared");
        this.called = registry.counter("keisei_gateway_shared_reads_total", "result", "called");
    }

    /**
     * The answer to {@code GET pathAndQuery} on {@code service}: shared with identical reads in flight or
     * answered within the window, otherwise {@code call}'s (made on this thread).
     */
    public Response get(Service service, String pathAndQuery, Supplier<DownstreamResponse> call) {
        if (!enabled) {
            return call.get().toResponse();
        }
        String key = service.name() + " " + pathAndQuery;
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> existing = answers.asMap().putIfAbsent(key, mine);
        if (existing != null) {
            shared.increment();
            return await(existing).toResponse();
        }
        called.increment();
        try {
            Answer a = read(call.get());
            mine.complete(a);
            // Completing does not tell the cache: re-put the same future (only if it is still ours, not
            // dropped meanwhile) so the expiry policy sees the answer and sets its window.
            answers.asMap().replace(key, mine, mine);
            return a.toResponse();
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            answers.asMap().remove(key, mine);
            throw e;
        }
    }

    /** Drops every shared answer: a write went through, or an event says things changed. */
    public void invalidateAll() {
        answers.asMap().clear();
    }

    private static Answer read(DownstreamResponse r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : DownstreamResponse.PASSED_HEADERS) {
            String v = r.header(h);
            if (v != null) {
                headers.put(h, v);
            }
        }
        return new Answer(r.status(), headers, r.bytes());
    }

    private static Answer await(CompletableFuture<Answer> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
