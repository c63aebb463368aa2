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
    @Operation(summary = "The latest system sample (CPU total and per core, memory, GPUs), from the hub's memory; with "
            + "several nodes the newest one's (all of them: /system/nodes)")
    public Response status() {
        return live.systemStatuses().stream().max(Comparator.comparingLong(SystemStatus::time))
                .map(s -> Response.ok(s).build())
                .orElseGet(() -> forwarder.get(Service.RESOURCE, "/system/status", null));
    }

    @GET
    @Path("/nodes")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The latest sample of every node that reports (a list, one per node), from the hub's memory")
    public List<SystemStatus> nodes() {
        return live.systemStatuses();
    }

    @GET
    @Path("/services")
    @Operation(summary = "Readiness of every internal service, as reached from the gateway")
    public Map<String, DownstreamHealth.ServiceHealth> services() {
        return health.check();
    }
}
