package io.keisei.gateway.client;

import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Asks each internal service for its readiness, in parallel and with a bounded timeout. */
@ApplicationScoped
public class DownstreamHealth {

    /** One service's answer: UP, DOWN (answered not ready) or UNREACHABLE, with the time it took. */
    public record ServiceHealth(String status, String url, long millis) {
    }

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
        URI ready = base.resolve("/q/health/ready");
        long start = System.nanoTime();
        HttpRequest req = HttpRequest.newBuilder(ready).timeout(config.services().timeout()).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> new ServiceHealth(r.statusCode() == 200 ? "UP" : "DOWN", base.toString(), elapsed(start)))
                .exceptionally(e -> new ServiceHealth("UNREACHABLE", base.toString(), elapsed(start)));
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
