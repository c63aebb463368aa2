package io.keisei.resource.rest;

import io.keisei.resource.HostResources;
import io.keisei.resource.Pool;
import io.keisei.resource.discovery.HostDiscovery;
import io.keisei.resource.persistence.PoolRepository;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.util.List;

/** What the suite can hand out: the discovered host and the registered pools. */
@Path("/resources")
@Produces(MediaType.APPLICATION_JSON)
public class ResourceInventoryResource {

    private final HostDiscovery discovery;
    private final PoolRepository pools;

    public ResourceInventoryResource(HostDiscovery discovery, PoolRepository pools) {
        this.discovery = discovery;
        this.pools = pools;
    }

    @GET
    @Path("/host")
    @Operation(summary = "CPU and memory discovered on this host (cgroup-aware)")
    public HostResources host() {
        return discovery.discover();
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Resource pools and their capacity")
    public List<Pool> pools() throws SQLException {
        return pools.all();
    }
}
