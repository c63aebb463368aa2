package io.keisei.gateway.rest;

import io.keisei.gateway.client.DownstreamHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;

/** The suite's own health as the gateway sees it. */
@Path("/api/v1/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    private final DownstreamHealth health;

    public SystemResource(DownstreamHealth health) {
        this.health = health;
    }

    @GET
    @Path("/services")
    @Operation(summary = "Readiness of every internal service, as reached from the gateway")
    public Map<String, DownstreamHealth.ServiceHealth> services() {
        return health.check();
    }
}
