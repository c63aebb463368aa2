package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.InternalReads;
import io.keisei.gateway.client.Service;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pools, allocations with queue positions and reasons, and estimates: the public face of resource-service. */
@Path("/api/v1/resources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Resources")
public class ResourcesResource {

    private final Forwarder forwarder;
    private final InternalReads reads;
    private final ObjectMapper json;

    public ResourcesResource(Forwarder forwarder, InternalReads reads, ObjectMapper json) {
        this.forwarder = forwarder;
        this.reads = reads;
        this.json = json;
    }

    @GET
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Pools with capacity, used and free; and the host as discovered")
    public Response resources() {
        ObjectNode out = json.createObjectNode();
        out.set("pools", reads.pools().orElseThrow(
                () -> new ProblemException(502, "Bad Gateway", "resource-service has no pools endpoint", null, null, null)));
        JsonNode host;
        try {
            host = reads.host().orElse(json.nullNode());
        } catch (ProblemException e) {
            host = json.nullNode(); // the pools are the answer; the host is extra detail
        }
        out.set("host", host);
        return Response.ok(out).build();
    }

    @GET
    @Path("/allocations")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Allocations: active and queued (with queue position and the reason each waits)")
    public Response allocations(@Context UriInfo uri) {
        return forwarder.getShared(Service.RESOURCE, "/allocations", uri);
    }

    @POST
    @Path("/estimate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Estimate CPU, memory and GPU needs of a training config, with the breakdown")
    public Response estimate(JsonNode config) {
        return forwarder.post(Service.RESOURCE, "/estimate", config == null ? json.nullNode() : config, false);
    }
}
