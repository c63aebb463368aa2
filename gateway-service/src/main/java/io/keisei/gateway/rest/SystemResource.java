package io.keisei.gateway.rest;

import io.keisei.contracts.SystemStatus;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.DownstreamHealth;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.hub.LiveState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The machine and the suite: live system status, and each internal service's readiness. */
@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "System")
public class SystemResource {

    private final DownstreamHealth health;
    private final LiveState live;
    private final Forwarder forwarder;

    public SystemResource(DownstreamHealth health, LiveState live, Forwarder forwarder) {
        this.health = health;
        this.live = live;
        this.forwarder = forwarder;
    }

    @GET
    @Path("/status")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSystemStatus", summary = "Get the latest system sample",
            description = "The latest system sample (CPU total and per core, memory, GPUs) from the gateway's memory of the "
                    + "live streams; with several nodes the newest one's (listSystemNodes has all). Needs training.monitor "
                    + "(every role).")
    @APIResponse(responseCode = "200", description = "The sample",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SystemStatus.class)))
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
    @APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
    public Response status() {
        return live.systemStatuses().stream().max(Comparator.comparingLong(SystemStatus::time))
                .map(s -> Response.ok(s).build())
                .orElseGet(() -> forwarder.get(Service.RESOURCE, "/system/status", null));
    }

    @GET
    @Path("/nodes")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "listSystemNodes", summary = "List every node's latest sample",
            description = "The latest system sample of every node that reports, one per node, from the gateway's memory. "
                    + "Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "One sample per node", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = SystemStatus.class)))
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public List<SystemStatus> nodes() {
        return live.systemStatuses();
    }

    @GET
    @Path("/services")
    @Operation(operationId = "getServiceHealth", summary = "Get the internal services' health",
            description = "Each internal service's health as the gateway reaches it: UP; DEGRADED (ready, but some of its "
                    + "dependencies are down: Redis, PostgreSQL, its outbox or a stream consumer's lag, named in `down`); DOWN "
                    + "(not ready) or UNREACHABLE; and how long it took to answer. Any valid token.")
    @APIResponse(responseCode = "200", description = "By service name", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.OBJECT, additionalProperties = DownstreamHealth.ServiceHealth.class)))
    public Map<String, DownstreamHealth.ServiceHealth> services() {
        return health.check();
    }
}
