package io.keisei.resource.rest;

import io.keisei.contracts.api.HostResources;
import io.keisei.contracts.api.PoolUsage;
import io.keisei.resource.discovery.HostDiscovery;
import io.keisei.resource.service.PoolQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.util.List;

/** What the suite can hand out: the discovered host and the registered pools with their use. */
@Path("/resources")
@Produces(MediaType.APPLICATION_JSON)
public class ResourceInventoryResource {

    private final HostDiscovery discovery;
    private final PoolQueries pools;

    public ResourceInventoryResource(HostDiscovery discovery, PoolQueries pools) {
        this.discovery = discovery;
        this.pools = pools;
    }

    @GET
    @Path("/host")
    @Operation(summary = "CPU, memory (cgroup-aware) and GPUs (nvidia-smi) discovered on this host")
    public HostResources host() {
        return discovery.discover();
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Resource pools: capacity, used and free CPU, memory and GPUs, and which GPUs are free")
    public List<PoolUsage> pools() throws SQLException {
        return pools.all();
    }

    @GET
    @Path("/pools/{name}")
    @Operation(summary = "One pool: capacity, used and free, and which GPUs are free")
    public PoolUsage pool(@PathParam("name") String name) throws SQLException {
        return pools.get(name);
    }
}
