package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.cache.ResponseCache;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.service.SessionDirectory;
import io.keisei.gateway.service.SessionStatusService;
import io.keisei.gateway.service.SessionStatusView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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


/** Training sessions: the public face of training-service's /sessions, with roles and ownership. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
public class SessionsResource {

    private final Forwarder forwarder;
    private final Caller caller;
    private final SessionDirectory directory;
    private final SessionStatusService status;
    private final CachedReads cached;
    private final ResponseCache cache;

    public SessionsResource(Forwarder forwarder, Caller caller, SessionDirectory directory, SessionStatusService status,
                       CachedReads cached, ResponseCache cache) {
        this.forwarder = forwarder;
        this.caller = caller;
        this.directory = directory;
        this.status = status;
        this.cached = cached;
        this.cache = cache;
    }

    @GET
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Sessions, newest first; filter with owner= and state=, page with page= and size=")
    public Response list(@Context UriInfo uri) {
        return forwarder.getShared(Service.TRAINING, "/sessions", uri);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Operation(summary = "Create a session (name, template, config overlay, priority, resumeFrom); the caller owns it")
    public Response create(JsonNode body) {
        ObjectNode b = SessionRequests.ownedByCaller(body, caller.get(), "{\"name\": \"run-1\", \"template\": \"quick-cpu\"}");
        return forwarder.post(Service.TRAINING, "/sessions", b, false);
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "One session")
    public Response get(@PathParam("id") String id) {
        return forwarder.getShared(Service.TRAINING, "/sessions/" + PathSegments.id("id", id), null);
    }

    @DELETE
    @Path("/{id}")
    @Requires(Permission.TRAINING_STOP)
    @Operation(summary = "Delete a session that is not running")
    public Response delete(@PathParam("id") String id) {
        owned(id, "delete");
        Response r = forwarder.delete(Service.TRAINING, "/sessions/" + id, null);
        directory.forget(id);
        cache.invalidate(CachedReads.SESSION_CONFIG + id);
        cache.invalidate(CachedReads.MODELS);
        return r;
    }

    @GET
    @Path("/{id}/status")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Live status (hot path, from the hub's memory): state, step, progress, ETA, latest metrics, allocation")
    public SessionStatusView status(@PathParam("id") String id) {
        return status.status(PathSegments.id("id", id));
    }

    @POST
    @Path("/{id}/start")
    @Requires(Permission.TRAINING_START)
    @Operation(summary = "Start (allocate resources, launch the trainer)")
    public Response start(@PathParam("id") String id) {
        return action(id, "start", "start");
    }

    @POST
    @Path("/{id}/stop")
    @Requires(Permission.TRAINING_STOP)
    @Operation(summary = "Stop (the trainer checkpoints and exits)")
    public Response stop(@PathParam("id") String id) {
        return action(id, "stop", "stop");
    }

    @POST
    @Path("/{id}/pause")
    @Requires(Permission.TRAINING_STOP)
    @Operation(summary = "Pause (checkpoint, exit, release resources; resume continues from the checkpoint)")
    public Response pause(@PathParam("id") String id) {
        return action(id, "pause", "pause");
    }

    @POST
    @Path("/{id}/resume")
    @Requires(Permission.TRAINING_START)
    @Operation(summary = "Resume a paused session from its latest checkpoint")
    public Response resume(@PathParam("id") String id) {
        return action(id, "resume", "resume");
    }

    @POST
    @Path("/{id}/checkpoint")
    @Requires(Permission.MODELS_WRITE)
    @Operation(summary = "Ask the running trainer to save a checkpoint now")
    public Response checkpoint(@PathParam("id") String id) {
        return action(id, "checkpoint", "checkpoint");
    }

    @GET
    @Path("/{id}/attempts")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Attempts (each start or resume) of a session")
    public Response attempts(@PathParam("id") String id) {
        return forwarder.getShared(Service.TRAINING, "/sessions/" + PathSegments.id("id", id) + "/attempts", null);
    }

    @GET
    @Path("/{id}/config")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The session's full training config (cached; ETag)")
    public Response config(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        PathSegments.id("id", id);
        return cached.get(CachedReads.SESSION_CONFIG + id, Service.TRAINING, "/sessions/" + id + "/config", ifNoneMatch);
    }

    @PUT
    @Path("/{id}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Operation(summary = "Replace the config of a session that is not running (validated; 400 with field errors)")
    public Response updateConfig(@PathParam("id") String id, JsonNode config) {
        owned(id, "configure");
        Response r = forwarder.put(Service.TRAINING, "/sessions/" + id + "/config", config);
        cache.invalidate(CachedReads.SESSION_CONFIG + id);
        directory.forget(id);
        return r;
    }

    @GET
    @Path("/{id}/logs")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The last lines of the trainer's log (tail=N, default 200)")
    public Response logs(@PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.get(Service.TRAINING, "/sessions/" + PathSegments.id("id", id) + "/logs", uri);
    }

    private Response action(String id, String verb, String what) {
        owned(id, what);
        Response r = forwarder.post(Service.TRAINING, "/sessions/" + id + "/" + verb, null, true);
        directory.forget(id);
        return r;
    }

    private void owned(String id, String what) {
        PathSegments.id("id", id);
        caller.requireOwnerOf(directory.owner(id), what);
    }
}
