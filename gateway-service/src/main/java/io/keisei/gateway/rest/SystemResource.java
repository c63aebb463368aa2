package io.keisei.gateway.rest;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    @Operation(summary = "The latest system sample (CPU total and per core, memory, GPUs), from the hub's memory")
    public Response status() {
        var statuses = live.systemStatuses();
        if (statuses.size() == 1) {
            return Response.ok(statuses.get(0)).build();
        }
        if (!statuses.isEmpty()) {
            return Response.ok(statuses).build();
        }
        return forwarder.get(Service.RESOURCE, "/system/status", null);
    }

    @GET
    @Path("/services")
    @Operation(summary = "Readiness of every internal service, as reached from the gateway")
    public Map<String, DownstreamHealth.ServiceHealth> services() {
        return health.check();
    }
}
