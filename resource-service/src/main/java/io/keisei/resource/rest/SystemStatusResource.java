package io.keisei.resource.rest;

import io.keisei.contracts.SystemStatus;
import io.keisei.resource.service.SystemStatusSampler;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The latest sample of this node, as published on keisei:system once a second. */
@Path("/system")
@Produces(MediaType.APPLICATION_JSON)
public class SystemStatusResource {

    private final SystemStatusSampler sampler;

    public SystemStatusResource(SystemStatusSampler sampler) {
        this.sampler = sampler;
    }

    @GET
    @Path("/status")
    @Operation(summary = "CPU (total and per core), memory, and per-GPU utilisation and memory of this node")
    public SystemStatus status() {
        return sampler.latest();
    }
}
