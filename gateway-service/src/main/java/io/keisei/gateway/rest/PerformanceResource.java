package io.keisei.gateway.rest;

import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.DownstreamClient;
import io.keisei.gateway.hub.HubStats;
import io.keisei.gateway.perf.EndpointStats;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The performance monitor of this gateway replica. */
@Path("/api/v1/performance")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "System")
public class PerformanceResource {

    /** Everything measured since this replica started. */
    public record Performance(long uptimeMs, Collection<EndpointStats.Row> endpoints, HubStats.WebSocketStats websocket,
                              Map<String, Double> trainerStepsPerSecond, Map<String, String> circuitBreakers) {
    }

    private static final long STARTED = System.currentTimeMillis();

    private final EndpointStats endpoints;
    private final HubStats hub;
    private final DownstreamClient downstream;

    public PerformanceResource(EndpointStats endpoints, HubStats hub, DownstreamClient downstream) {
        this.endpoints = endpoints;
        this.hub = hub;
        this.downstream = downstream;
    }

    @GET
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getPerformance", summary = "Get this gateway replica's performance",
            description = "Since this replica started: per endpoint count, errors, mean, min, max, p50, p95 and p99 latency; "
                    + "WebSocket connections and delivery latency; trainer throughput; circuit breaker states. Needs "
                    + "training.monitor (every role).")
    @APIResponse(responseCode = "200", description = "The figures",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Performance.class)))
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Performance performance() {
        Map<String, String> breakers = new TreeMap<>();
        downstream.breakerStates().forEach((s, state) -> breakers.put(s.displayName(), state.name()));
        return new Performance(System.currentTimeMillis() - STARTED, endpoints.rows().values(), hub.webSocketStats(),
                hub.trainerThroughput(), breakers);
    }
}
