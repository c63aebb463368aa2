package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.api.ResourceEstimate;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.InternalReads;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.rest.schema.ResourceOverview;
import io.keisei.gateway.rest.schema.TrainingConfig;
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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pools, allocations with queue positions and reasons, and estimates: the public face of resource-service. */
@Path("/api/v1/resources")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Resources")
@APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
@APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
@APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
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
    @Operation(operationId = "getResources", summary = "Get resource pools",
            description = "Every pool with its capacity, what granted allocations use and what is free; and the host as "
                    + "discovered (CPU, memory, GPUs). Needs training.monitor (every role).")
    @APIResponse(responseCode = "200", description = "Pools and host",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResourceOverview.class)))
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
    @Operation(operationId = "listAllocations", summary = "List allocations",
            description = "Allocations: by default the live ones, granted first, then queued in queue order with their "
                    + "position and the reason each waits. Needs training.monitor.")
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "queued, granted or released; comma-separate for "
            + "several (default: queued,granted)", schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "only this session's",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "pool", in = ParameterIn.QUERY, description = "only this pool's", schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "at most this many",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000", defaultValue = "100"))
    @APIResponse(responseCode = "200", description = "The allocations", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Allocation.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Response allocations(@Context UriInfo uri) {
        return forwarder.getShared(Service.RESOURCE, "/allocations", uri);
    }

    @POST
    @Path("/estimate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "estimateResources", summary = "Estimate a config's resource needs",
            description = "The CPU, memory and GPUs a training config (over the built-in trainer's defaults) is expected to "
                    + "need, with the arithmetic per component. Needs training.monitor.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "200", description = "The estimate",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResourceEstimate.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    public Response estimate(JsonNode config) {
        return forwarder.post(Service.RESOURCE, "/estimate", config == null ? json.nullNode() : config, false);
    }
}
