package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.client.Service;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Keisei config: JSON Schema (drives the form), defaults, templates (all cached, with ETags), validation. */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Config")
public class ConfigResource {

    private final CachedReads cached;
    private final Forwarder forwarder;

    public ConfigResource(CachedReads cached, Forwarder forwarder) {
        this.cached = cached;
        this.forwarder = forwarder;
    }

    @GET
    @Path("/schema")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "JSON Schema of the training config")
    public Response schema(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "schema", Service.TRAINING, "/config/schema", ifNoneMatch);
    }

    @GET
    @Path("/defaults")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Keisei's default config")
    public Response defaults(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "defaults", Service.TRAINING, "/config/defaults", ifNoneMatch);
    }

    @GET
    @Path("/templates")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Config templates (quick-cpu, keisei-defaults, large-gpu)")
    public Response templates(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "templates", Service.TRAINING, "/config/templates", ifNoneMatch);
    }

    @GET
    @Path("/templates/{name}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "One template")
    public Response template(@PathParam("name") String name, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        PathSegments.id("name", name);
        return cached.get(CachedReads.CONFIG + "templates/" + name, Service.TRAINING, "/config/templates/" + name, ifNoneMatch);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Validate a config: 200 with the effective config, or 400 problem+json with field errors")
    public Response validate(JsonNode config) {
        return forwarder.post(Service.TRAINING, "/config/validate", config == null ? com.fasterxml.jackson.databind.node.NullNode.instance : config, false);
    }
}
