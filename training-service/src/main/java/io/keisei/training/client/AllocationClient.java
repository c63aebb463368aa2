package io.keisei.training.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * resource-service's allocation API, as agreed in contracts. Every call is bounded by a timeout;
 * an unreachable resource-service becomes a 503 problem with Retry-After, never a hang.
 */
@ApplicationScoped
public class AllocationClient {

    /** The answer to an allocation request: granted now, or queued (state says which). */
    public record Outcome(Allocation allocation, boolean granted) {
    }

    private final TrainingServiceConfig config;
    private final ObjectMapper json;
    private final HttpClient http;

    public AllocationClient(TrainingServiceConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.resourceService().timeout()).build();
    }

    public Outcome request(AllocationRequest request) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/allocations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(request))));
        if (r.statusCode() == 201 || r.statusCode() == 202) {
            return new Outcome(read(r.body(), Allocation.class), r.statusCode() == 201);
        }
        throw passThrough(r);
    }

    public Optional<Allocation> get(String id) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/allocations/" + id)).GET());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw passThrough(r);
        }
        return Optional.of(read(r.body(), Allocation.class));
    }

    /** Releases an allocation; releasing twice is harmless. Failures are reported, not thrown. */
    public boolean release(String id) {
        if (id == null) {
            return true;
        }
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/allocations/" + id)).DELETE());
            return r.statusCode() / 100 == 2 || r.statusCode() == 404;
        } catch (ProblemException e) {
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.timeout(config.resourceService().timeout()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw ProblemException.unavailable("resource-service is unreachable (" + e.getClass().getSimpleName() + ")", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while calling resource-service", 5);
        }
    }

    /** resource-service's own problem (400, 409, 422) is passed to our caller with its detail. */
    private ProblemException passThrough(HttpResponse<String> r) {
        String detail = "resource-service answered " + r.statusCode();
        try {
            JsonNode p = json.readTree(r.body());
            if (p.hasNonNull("detail")) {
                detail = p.get("detail").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not a problem document
        }
        if (r.statusCode() == 422) {
            return ProblemException.unprocessable(detail);
        }
        if (r.statusCode() >= 500) {
            return ProblemException.unavailable(detail, 5);
        }
        return new ProblemException(r.statusCode() == 409 ? 409 : 400, "Allocation refused", detail, null, null, null);
    }

    private URI uri(String path) {
        return config.resourceService().url().resolve(path);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw ProblemException.unavailable("resource-service sent an unreadable answer: " + e.getMessage(), 5);
        }
    }
}
