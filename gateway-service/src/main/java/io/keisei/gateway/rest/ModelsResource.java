package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.Problem;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.ModelPage;
import io.keisei.contracts.api.Session;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.AcceptsSignedLink;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.DownloadLinks;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.cache.ResponseCache;
import io.keisei.gateway.client.InternalReads;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.idempotency.Idempotent;
import io.keisei.gateway.rest.schema.ForkRequest;
import io.keisei.gateway.service.SessionDirectory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Models (checkpoints). Reading needs models.read; downloading needs models.export, or models.write on
 * one's own session, or a signed download link that such a caller asked for; deleting needs models.delete;
 * forking starts a new session owned by the caller.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models")
@APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
@APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
@APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
public class ModelsResource {

    private static final String ID = "the model id";

    /** The answer of createModelDownloadLink. */
    @Schema(name = "ModelDownloadLink", description = "A URL that downloads the model without a bearer token until it "
            + "expires: to open in a new browser tab, or to hand to a tool that has no token.")
    public record DownloadLink(
            @Schema(required = true, description = "downloadModel's absolute URL with the query parameters expires and "
                    + "signature") String url,
            @Schema(required = true, description = "when the link stops working") Instant expiresAt) {
    }

    private final Forwarder forwarder;
    private final CachedReads cached;
    private final ResponseCache cache;
    private final Caller caller;
    private final SessionDirectory directory;
    private final InternalReads reads;
    private final DownloadLinks links;

    public ModelsResource(Forwarder forwarder, CachedReads cached, ResponseCache cache, Caller caller, SessionDirectory directory,
                          InternalReads reads, DownloadLinks links) {
        this.forwarder = forwarder;
        this.links = links;
        this.reads = reads;
        this.cached = cached;
        this.cache = cache;
        this.caller = caller;
        this.directory = directory;
    }

    @GET
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "listModels", summary = "List models",
            description = "Models (checkpoints), newest step first, a page at a time; optionally of one session, optionally "
                    + "only the sessions' best models (as automatic gating marked them). Each model says whether it is its "
                    + "session's best and how its gate stands. Needs models.read (every role).")
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "only this session's models",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "best", in = ParameterIn.QUERY, description = "only the best model of each session (of the one "
            + "session given)", schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "0-based page number",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "1000000", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "models per page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "20"))
    @APIResponse(responseCode = "200", description = "A page of models",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelPage.class)))
    public Response list(@Context UriInfo uri) {
        // Only shared for the live window, not cached for the config TTL: checkpoint.saved reaches the gateway before
        // training-service has registered the model, so a list cached at that moment would hide the new model for long.
        return forwarder.getShared(Service.TRAINING, "/models", uri);
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "getModel", summary = "Get a model",
            description = "A model's metadata: session, attempt, step, size, sha256, architecture, metrics, whether it is "
                    + "its session's best and its gate (cached; send the ETag back in If-None-Match for a 304). Needs "
                    + "models.read.")
    @APIResponse(responseCode = "200", description = "The model",
            headers = @Header(name = "ETag", description = "the metadata's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Checkpoint.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response get(@Parameter(description = ID) @PathParam("id") String id,
                        @Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                        String ifNoneMatch) {
        PathSegments.id("id", id);
        return cached.get(CachedReads.MODELS + "/models/" + id, Service.TRAINING, "/models/" + id, ifNoneMatch);
    }

    @GET
    @Path("/{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(operationId = "downloadModel", summary = "Download a model",
            description = "The checkpoint file, streamed; its ETag is its sha256 (as in getModel), so If-None-Match with it "
                    + "answers 304. Needs models.export (admin, researcher), or models.write and owning the model's session "
                    + "(a trainer's own models). Without a bearer token, a signed link from createModelDownloadLink (its "
                    + "expires and signature) is the credential: an expired, altered or other model's link answers 403.")
    @APIResponse(responseCode = "200", description = "The checkpoint file",
            headers = {@Header(name = "ETag", description = "the file's sha256, quoted", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Content-Disposition", description = "attachment; filename=<session>-step<step>.kshogi",
                            schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "304", description = "Not modified: If-None-Match named the file's sha256")
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @AcceptsSignedLink("id")
    public Response download(@Parameter(description = ID) @PathParam("id") String id,
                             @Parameter(description = "the sha256 of a copy the client has") @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                             String ifNoneMatch,
                             @Parameter(description = "a signed link's expiry, in seconds since the epoch (without a bearer token)",
                                     schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
                             @QueryParam(DownloadLinks.EXPIRES) String expires,
                             @Parameter(description = "a signed link's signature (without a bearer token)")
                             @QueryParam(DownloadLinks.SIGNATURE) String signature) {
        PathSegments.id("id", id);
        // expires and signature are checked by ApiSecurityFilter (@AcceptsSignedLink); declared here for the API document.
        if (!caller.hasSignedLinkFor(id)) {
            requireWeightsAccess(caller.get(), id, "download models of");
        }
        return forwarder.forward(Service.TRAINING, "GET", "/models/" + id + "/download", null,
                ifNoneMatch == null ? Map.of() : Map.of(HttpHeaders.IF_NONE_MATCH, ifNoneMatch), true);
    }

    @POST
    @Path("/{id}/download-url")
    @Operation(operationId = "createModelDownloadLink", summary = "Create a signed download link",
            description = "A short-lived URL of downloadModel that works without a bearer token (15 minutes unless the "
                    + "gateway sets KEISEI_DOWNLOAD_LINK_LIFETIME): to open in a new browser tab or hand to a tool. Anyone "
                    + "with the link can download the model until it expires. Needs what downloadModel needs (models.export, "
                    + "or models.write and owning the model's session).")
    @APIResponse(responseCode = "200", description = "The link and when it expires",
            headers = @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DownloadLink.class)))
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response createDownloadLink(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
        PathSegments.id("id", id);
        Principal p = caller.get();
        if (!p.has(Permission.MODELS_EXPORT) && !p.has(Permission.MODELS_WRITE)) {
            throw forbidden(p, "models.export");   // refused before any downstream call
        }
        JsonNode model = modelOf(id);   // a model that does not exist gets no link, whoever asks
        requireWeightsAccess(p, () -> model.path("session").asText(), "download models of");
        DownloadLinks.Signed signed = links.sign(id);
        String url = uri.getBaseUriBuilder().path("api/v1/models").path(id).path("download")
                .queryParam(DownloadLinks.EXPIRES, signed.expires()).queryParam(DownloadLinks.SIGNATURE, signed.signature())
                .build().toString();
        return Response.ok(new DownloadLink(url, signed.expiresAt())).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @DELETE
    // A 204 or a problem: generated clients ask an operation without a success body for its error type only
    // (Accept: application/problem+json), which the class's @Produces(application/json) alone would refuse with 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @Requires(Permission.MODELS_DELETE)
    @Operation(operationId = "deleteModel", summary = "Delete a model",
            description = "Deletes a model's file and metadata; refused (409) for the checkpoint a live attempt resumed from. "
                    + "Needs models.delete (admin).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response delete(@Parameter(description = ID) @PathParam("id") String id) {
        PathSegments.id("id", id);
        Response r = forwarder.delete(Service.TRAINING, "/models/" + id, null);
        cache.invalidate(CachedReads.MODELS);
        return r;
    }

    @POST
    @Path("/{id}/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "forkModel", summary = "Fork a model into a new session",
            description = "Creates a session (state created) that trains on from this model with its session's config, owned "
                    + "by the caller with the caller's role and quotas. Needs training.start, and what downloadModel needs "
                    + "(another owner's model needs models.export).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ForkRequest.class)))
    @APIResponse(responseCode = "201", description = "The new session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response fork(@Parameter(description = ID) @PathParam("id") String id, JsonNode body) {
        PathSegments.id("id", id);
        Principal p = caller.get();
        ObjectNode b = SessionRequests.ownedByCaller(body, p, "{\"name\": \"run-1 fork\"}");
        // A fork trains on from the weights: reading them this way must need what downloading them needs.
        requireWeightsAccess(p, id, "fork models of");
        return forwarder.post(Service.TRAINING, "/models/" + id + "/fork", b, false);
    }

    /** models.export, or models.write on one's own sessions' models. */
    private void requireWeightsAccess(Principal p, String modelId, String action) {
        requireWeightsAccess(p, () -> modelOf(modelId).path("session").asText(), action);
    }

    /** As above, with the model's session looked up only when the caller's permission depends on it. */
    private void requireWeightsAccess(Principal p, Supplier<String> sessionOfModel, String action) {
        if (!p.has(Permission.MODELS_EXPORT)) {
            if (!p.has(Permission.MODELS_WRITE)) {
                throw forbidden(p, "models.export");
            }
            caller.requireOwnerOf(directory.owner(sessionOfModel.get()), action);
        }
    }

    private JsonNode modelOf(String modelId) {
        return reads.model(modelId)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "no model '" + modelId + "'", null, null, null));
    }

    private static ProblemException forbidden(Principal p, String permission) {
        return new ProblemException(403, "Forbidden", "role '" + p.role().wireName() + "' lacks permission '" + permission + "'",
                null, null, null);
    }
}
