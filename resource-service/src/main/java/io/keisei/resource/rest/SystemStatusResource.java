package io.keisei.resource.rest;

import io.keisei.contracts.SystemStatus;
import io.keisei.resource.cluster.ClusterSystemStatus;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.service.SystemStatusSampler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The latest sample of this node, as published on keisei:system once a second; in cluster mode the first of the
 * cluster's nodes (by pool and name): the gateway serves every node's from the stream.
 */
@Path("/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemStatusResource {

    private final SystemStatusSampler sampler;
    private final ClusterSystemStatus cluster;
    private final boolean clusterMode;

    public SystemStatusResource(SystemStatusSampler sampler, ClusterSystemStatus cluster, ResourceConfig config) {
        this.sampler = sampler;
        this.cluster = cluster;
        this.clusterMode = config.mode() == ResourceConfig.Mode.KUBERNETES;
    }

    @GET
    @Path("/status")
    @Operation(summary = "CPU (total and per core), memory, and per-GPU utilisation and memory of this node "
            + "(cluster mode: of the first node)")
    public SystemStatus status() {
        if (!clusterMode) {
            return sampler.latest();
        }
        return cluster.latest().stream().findFirst()
                .orElseThrow(() -> new ServiceUnavailableException("no cluster node takes trainers yet"));
    }
}
