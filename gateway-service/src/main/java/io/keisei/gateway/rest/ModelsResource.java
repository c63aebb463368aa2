package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.cache.ResponseCache;
import io.keisei.gateway.client.InternalReads;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.service.SessionDirectory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * Models (checkpoints). Reading needs models.read; downloading needs models.export, or models.write on
 * one's own session; deleting needs models.delete; forking starts a new session owned by the caller.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models")
public class ModelsResource {

    private final Forwarder forwarder;
    private final CachedReads cached;
    private final ResponseCache cache;
    private final Caller caller;
    private final SessionDirectory directory;
    private final InternalReads reads;

    public ModelsResource(Forwarder forwarder, CachedReads cached, ResponseCache cache, Caller caller, SessionDirectory directory,
                          InternalReads reads) {
        this.forwarder = forwarder;
        this.reads = reads;
        this.cached = cached;
        this.cache = cache;
        this.caller = caller;
        this.directory = directory;
    }

    @GET
    @Requires(Permission.MODELS_READ)
    @Operation(summary = "Models, newest step first; session= filters, page= and size= page")
    public Response list(@Context UriInfo uri) {
        // Only shared for the live window, not cached for the config TTL: checkpoint.saved reaches the gateway before
        // training-service has registered the model, so a list cached at that moment would hide the new model for long.
        return forwarder.getShared(Service.TRAINING, "/models", uri);
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.MODELS_READ)
    @Operation(summary = "A model's metadata: session, attempt, step, size, sha256, architecture, metrics (cached; ETag)")
    public Response get(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        PathSegments.id("id", id);
        return cached.get(CachedReads.MODELS + "/models/" + id, Service.TRAINING, "/models/" + id, ifNoneMatch);
    }

    @GET
    @Path("/{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "The checkpoint file, streamed (ETag is its sha256)")
    public Response download(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        PathSegments.id("id", id);
        requireWeightsAccess(caller.get(), id, "download models of");
        return forwarder.forward(Service.TRAINING, "GET", "/models/" + id + "/download", null,
                ifNoneMatch == null ? Map.of() : Map.of(HttpHeaders.IF_NONE_MATCH, ifNoneMatch), true);
    }

    @DELETE
    @Path("/{id}")
    @Requires(Permission.MODELS_DELETE)
    @Operation(summary = "Delete a model (its file and metadata)")
    public Response delete(@PathParam("id") String id) {
        PathSegments.id("id", id);
        Response r = forwarder.delete(Service.TRAINING, "/models/" + id, null);
        cache.invalidate(CachedReads.MODELS);
        return r;
    }

    @POST
    @Path("/{id}/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Operation(summary = "Create a new session that starts from this model, owned by the caller with the caller's role "
            + "and quotas (body: name, priority); another owner's model needs models.export, as its download does")
    public Response fork(@PathParam("id") String id, JsonNode body) {
        PathSegments.id("id", id);
        Principal p = caller.get();
        ObjectNode b = SessionRequests.ownedByCaller(body, p, "{\"name\": \"run-1 fork\"}");
        // A fork trains on from the weights: reading them this way must need what downloading them needs.
        requireWeightsAccess(p, id, "fork models of");
        return forwarder.post(Service.TRAINING, "/models/" + id + "/fork", b, false);
    }

    /** models.export, or models.write on one's own sessions' models. */
    private void requireWeightsAccess(Principal p, String modelId, String action) {
        if (!p.has(Permission.MODELS_EXPORT)) {
            if (!p.has(Permission.MODELS_WRITE)) {
                throw forbidden(p, "models.export");
            }
            caller.requireOwnerOf(directory.owner(sessionOf(modelId)), action);
        }
    }

    private String sessionOf(String modelId) {
        return reads.model(modelId)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "no model '" + modelId + "'", null, null, null))
                .path("session").asText();
    }

    private static ProblemException forbidden(Principal p, String permission) {
        return new ProblemException(403, "Forbidden", "role '" + p.role().wireName() + "' lacks permission '" + permission + "'",
                null, null, null);
    }
}
