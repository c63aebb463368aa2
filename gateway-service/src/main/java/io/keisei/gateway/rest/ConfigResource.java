package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.api.ConfigValidation;
import io.keisei.contracts.api.SessionRules;
import io.keisei.contracts.api.TrainerInfo;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.cache.CachedResponse;
import io.keisei.gateway.cache.ResponseCache;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.rest.schema.ConfigJsonSchema;
import io.keisei.gateway.rest.schema.SessionJsonSchema;
import io.keisei.gateway.rest.schema.TrainingConfig;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;

/**
 * Training configs: the trainers and their dialects, each trainer's JSON Schema (drives the form) and defaults,
 * templates (all cached, with ETags), validation; and the rules of a new session's own fields (name, priority, ...).
 */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Config")
@APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
@APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
@APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
public class ConfigResource {

    private static final String TRAINER = "the trainer whose config is meant (default: builtin); see /api/v1/config/trainers";

    /** createSession's rules as a JSON Schema: built from constants, so one answer (and ETag) for the process's life. */
    private static final CachedResponse SESSION_SCHEMA = answer(SessionRules.jsonSchema().toString());

    private final CachedReads cached;
    private final Forwarder forwarder;

    public ConfigResource(CachedReads cached, Forwarder forwarder) {
        this.cached = cached;
        this.forwarder = forwarder;
    }

    @GET
    @Path("/trainers")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "listTrainers", summary = "List trainers",
            description = "The trainers sessions may use, each with the config dialect it reads (keisei-2025, keisei-2026). "
                    + "Cached, with an ETag. Needs training.monitor (every role).")
    @APIResponse(responseCode = "200", description = "The trainers",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = TrainerInfo.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    public Response trainers(@Parameter(description = ApiDocument.EARLIER_ETAG)
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "trainers", Service.TRAINING, "/config/trainers", ifNoneMatch);
    }

    @GET
    @Path("/schema")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getConfigSchema", summary = "Get a trainer's config schema",
            description = "The JSON Schema of a trainer's config (default: the built-in trainer's): every field with its type, "
                    + "range, default and description; the dashboard's form is generated from it. Cached, with an ETag. "
                    + "Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The JSON Schema",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigJsonSchema.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    public Response schema(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer,
                           @Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                           String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "schema" + queryOf(trainer), Service.TRAINING, "/config/schema" + queryOf(trainer), ifNoneMatch);
    }

    @GET
    @Path("/session-schema")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSessionSchema", summary = "Get the rules of a new session's fields",
            description = "The JSON Schema of createSession's body: name (required, length, the characters it may hold), "
                    + "priority (an integer and its bounds), template, trainer, resumeFrom, configToml, pool and owner, with "
                    + "the rules training-service checks (a pattern's message in x-pattern-message). The dashboard checks its "
                    + "form with it as the user types; config is checked against getConfigSchema. With an ETag. Needs "
                    + "training.monitor.")
    @APIResponse(responseCode = "200", description = "The JSON Schema",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionJsonSchema.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    public Response sessionSchema(@Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                                  String ifNoneMatch) {
        return SESSION_SCHEMA.toResponse(ifNoneMatch);
    }

    @GET
    @Path("/defaults")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getConfigDefaults", summary = "Get a trainer's default config",
            description = "A trainer's default config (default: the built-in trainer's, Keisei 2025's defaults). Cached, with "
                    + "an ETag. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The defaults",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    public Response defaults(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer,
                             @Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                             String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "defaults" + queryOf(trainer), Service.TRAINING, "/config/defaults" + queryOf(trainer), ifNoneMatch);
    }

    @GET
    @Path("/templates")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "listTemplates", summary = "List config templates",
            description = "Named starting points for a session's config (e.g. quick-cpu), each with its trainer, dialect and "
                    + "whether that trainer is registered here. Cached, with an ETag. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The templates",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ConfigTemplate.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    public Response templates(@Parameter(description = ApiDocument.EARLIER_ETAG)
                              @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return cached.get(CachedReads.CONFIG + "templates", Service.TRAINING, "/config/templates", ifNoneMatch);
    }

    @GET
    @Path("/templates/{name}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getTemplate", summary = "Get a config template",
            description = "One template by name. Cached, with an ETag. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The template",
            headers = @Header(name = "ETag", description = "the answer's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigTemplate.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response template(@Parameter(description = "the template's name, e.g. quick-cpu") @PathParam("name") String name,
                             @Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                             String ifNoneMatch) {
        PathSegments.id("name", name);
        return cached.get(CachedReads.CONFIG + "templates/" + name, Service.TRAINING, "/config/templates/" + name, ifNoneMatch);
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "validateConfig", summary = "Validate a config",
            description = "Checks a (partial) config for a trainer without creating anything: 200 with valid=true and the "
                    + "effective config (the body over the defaults), or valid=false and one error per field. Needs "
                    + "training.monitor.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "200", description = "The verdict",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ConfigValidation.class)))
    public Response validate(@Parameter(description = TRAINER) @QueryParam("trainer") String trainer, JsonNode config) {
        return forwarder.post(Service.TRAINING, "/config/validate" + queryOf(trainer),
                config == null ? com.fasterxml.jackson.databind.node.NullNode.instance : config, false);
    }

    private static CachedResponse answer(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return new CachedResponse(MediaType.APPLICATION_JSON, ResponseCache.etagOf(body), body);
    }

    /** The query of a trainer's config read, also its cache key; the trainer passes the id rule, so it needs no encoding. */
    private static String queryOf(String trainer) {
        return trainer == null || trainer.isEmpty() ? "" : "?trainer=" + PathSegments.id("trainer", trainer);
    }
}
