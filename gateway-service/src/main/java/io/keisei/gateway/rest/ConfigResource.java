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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Training configs: the trainers and their dialects, each trainer's JSON Schema (drives the form) and defaults,
 * templates (all cached, with ETags), validation.
 */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Config")
public class ConfigResource {

    private static final String TRAINER = "the trainer whose config is meant (default: builtin); see /api/v1/config/trainers";

    private final CachedReads cached;
    private final Forwarder forwarder;

    public ConfigResource(CachedReads cached, Forwarder forwarder) {
        this.cached = cached;
        this.forwarder = forwarder;
    }

    @GET
    @Path("/trainers")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The trainers sessions may use, each with the config dialect it reads (keisei-2025, keisei-2026)")
    public Response trainers(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "trainers", Service.TRAINING, "/config/trainers", ifNoneMatch);
    }

    @GET
    @Path("/schema")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "JSON Schema of a trainer's config (default: the built-in trainer's)")
    public Response schema(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer,
                           @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "schema" + keyOf(trainer), Service.TRAINING, "/config/schema" + queryOf(trainer), ifNoneMatch);
    }

    @GET
    @Path("/defaults")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "A trainer's default config (default: the built-in trainer's, Keisei 2025's defaults)")
    public Response defaults(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "defaults" + keyOf(trainer), Service.TRAINING, "/config/defaults" + queryOf(trainer), ifNoneMatch);
    }

    @GET
    @Path("/templates")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Config templates, each with its trainer, dialect and whether that trainer is registered here")
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
    @Operation(summary = "Validate a config for a trainer: 200 with valid and the effective config or the field errors")
    public Response validate(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer, JsonNode config) {
        return forwarder.post(Service.TRAINING, "/config/validate" + queryOf(trainer),
                config == null ? com.fasterxml.jackson.databind.node.NullNode.instance : config, false);
    }

    private static String keyOf(String trainer) {
        return trainer == null || trainer.isEmpty() ? "" : "?" + PathSegments.id("trainer", trainer);
    }

    /** The trainer passes the id rule (letters, digits, . _ -), so it needs no encoding. */
    private static String queryOf(String trainer) {
        return trainer == null || trainer.isEmpty() ? "" : "?trainer=" + PathSegments.id("trainer", trainer);
    }
}
