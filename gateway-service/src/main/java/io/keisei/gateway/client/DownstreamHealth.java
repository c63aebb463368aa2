package io.keisei.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks each internal service for its readiness and, when ready, its wellness (its Redis, PostgreSQL, outbox and
 * stream lag), in parallel and with a bounded timeout.
 */
@ApplicationScoped
public class DownstreamHealth {

    /**
     * One service's answer: UP, DEGRADED (ready, but some wellness checks are DOWN: named in {@code down}), DOWN
     * (answered not ready) or UNREACHABLE, with the time it took.
     */
    public record ServiceHealth(String status, String url, long millis, List<String> down) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayConfig config;
    private final HttpClient http;

    public DownstreamHealth(GatewayConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.services().timeout()).build();
    }

    public Map<String, ServiceHealth> check() {
        Map<String, CompletableFuture<ServiceHealth>> pending = new LinkedHashMap<>();
        pending.put("training-service", probe(config.services().training()));
        pending.put("metrics-service", probe(config.services().metrics()));
        pending.put("resource-service", probe(config.services().resource()));
        Map<String, ServiceHealth> out = new LinkedHashMap<>();
        pending.forEach((name, f) -> out.put(name, f.join()));
        return out;
    }

    private CompletableFuture<ServiceHealth> probe(URI base) {
        long start = System.nanoTime();
        return http.sendAsync(get(base, "/q/health/ready"), HttpResponse.BodyHandlers.discarding())
                .thenCompose(r -> r.statusCode() != 200
                        ? CompletableFuture.completedFuture(new ServiceHealth("DOWN", base.toString(), elapsed(start), null))
                        : http.sendAsync(get(base, "/q/health/well"), HttpResponse.BodyHandlers.ofString())
                                .thenApply(w -> {
                                    List<String> down = w.statusCode() == 200 ? List.of() : downChecks(w.body());
                                    return new ServiceHealth(down.isEmpty() && w.statusCode() == 200 ? "UP" : "DEGRADED",
                                            base.toString(), elapsed(start), down);
                                }))
                .exceptionally(e -> new ServiceHealth("UNREACHABLE", base.toString(), elapsed(start), null));
    }

    private HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(config.services().timeout()).GET().build();
    }

    /** The names of the DOWN checks in a health answer (empty when it cannot be read). */
    static List<String> downChecks(String body) {
        List<String> down = new ArrayList<>();
        try {
            for (JsonNode c : JSON.readTree(body).path("checks")) {
                if ("DOWN".equals(c.path("status").asText())) {
                    down.add(c.path("name").asText());
                }
            }
        } catch (Exception e) {
            // not a health answer: DEGRADED without names
        }
        return down;
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
