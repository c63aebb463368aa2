package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.Problem;
import io.keisei.contracts.api.CheckpointRequested;
import io.keisei.contracts.api.GatingPolicy;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionAttempt;
import io.keisei.contracts.api.SessionPage;
import io.keisei.contracts.api.SessionState;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.cache.CachedReads;
import io.keisei.gateway.cache.ResponseCache;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.idempotency.Idempotent;
import io.keisei.gateway.rest.schema.CreateSessionRequest;
import io.keisei.gateway.rest.schema.TrainingConfig;
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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Training sessions: the public face of training-service's /sessions, with roles and ownership. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
@APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
@APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
public class SessionsResource {

    private static final String ID = "the session id";

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
    @Operation(operationId = "listSessions", summary = "List sessions",
            description = "Sessions, newest first, a page at a time; filter by owner and state. Needs training.monitor "
                    + "(every role).")
    @Parameter(name = "owner", in = ParameterIn.QUERY, description = "only this owner's sessions",
            schema = @Schema(type = SchemaType.STRING, maxLength = 64))
    @Parameter(name = "state", in = ParameterIn.QUERY, description = "only sessions in this state",
            schema = @Schema(implementation = SessionState.class))
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "0-based page number",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "1000000", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "sessions per page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "20"))
    @APIResponse(responseCode = "200", description = "A page of sessions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionPage.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response list(@Context UriInfo uri) {
        return forwarder.getShared(Service.TRAINING, "/sessions", uri);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "createSession", summary = "Create a session",
            description = "A new session in state created, from a template and/or a config overlay, validated; startSession "
                    + "starts it. The caller owns it, with the caller's role for quotas (an admin may name another owner). "
                    + "Needs training.start (admin, trainer).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateSessionRequest.class)))
    @APIResponse(responseCode = "201", description = "Created",
            headers = @Header(name = "Location", description = "the session's URL", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response create(JsonNode body) {
        ObjectNode b = SessionRequests.ownedByCaller(body, caller.get(), "{\"name\": \"run-1\", \"template\": \"quick-cpu\"}");
        Response r = forwarder.post(Service.TRAINING, "/sessions", b, false);
        String location = r.getHeaderString("Location");
        if (r.getStatus() == 201 && location != null) {
            directory.created(location.substring(location.lastIndexOf('/') + 1), b.path("owner").asText(null));
        }
        return r;
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSession", summary = "Get a session",
            description = "One session with its state, config, latest checkpoint, gating policy and best model. Needs "
                    + "training.monitor.")
    @APIResponse(responseCode = "200", description = "The session",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response get(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.TRAINING, "/sessions/" + PathSegments.id("id", id), null);
    }

    @DELETE
    // A 204 or a problem: generated clients ask an operation without a success body for its error type only
    // (Accept: application/problem+json), which the class's @Produces(application/json) alone would refuse with 406.
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Path("/{id}")
    @Requires(Permission.TRAINING_STOP)
    @Operation(operationId = "deleteSession", summary = "Delete a session",
            description = "Deletes a session that is not queued or running, with its checkpoints. Needs training.stop and "
                    + "owning the session (admins own every session).")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response delete(@Parameter(description = ID) @PathParam("id") String id) {
        owned(id, "delete");
        Response r = forwarder.delete(Service.TRAINING, "/sessions/" + id, null);
        if (r.getStatus() < 300) {
            directory.deleted(id);
        } else {
            directory.forget(id);
        }
        cache.invalidate(CachedReads.SESSION_CONFIG + id);
        cache.invalidate(CachedReads.MODELS);
        return r;
    }

    @GET
    @Path("/{id}/status")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSessionStatus", summary = "Get a session's live status",
            description = "State, step, progress, ETA, steps per second, the latest value of every metric, the allocation "
                    + "and the game being played, from the gateway's memory of the live streams (cheap to poll). Needs "
                    + "training.monitor.")
    @APIResponse(responseCode = "200", description = "The live status", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionStatusView.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response status(@Parameter(description = ID) @PathParam("id") String id) {
        // Bytes rendered once per change of the session (the hot path: polled by every open dashboard).
        return Response.ok(status.statusJson(PathSegments.id("id", id)), MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/{id}/start")
    @Requires(Permission.TRAINING_START)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "startSession", summary = "Start a session",
            description = "Asks for resources and launches the trainer: the session goes to queued, then starting and "
                    + "running (it waits in queued while resources are busy; getSessionStatus and the hub say why). A session "
                    + "whose pool does not exist is refused with 400 naming the pool (field pool); that attempt fails, and "
                    + "resumeSession tries again. Needs training.start and owning the session.")
    @APIResponse(responseCode = "200", description = "The session in its new state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response start(@Parameter(description = ID) @PathParam("id") String id) {
        return action(id, "start", "start");
    }

    @POST
    @Path("/{id}/stop")
    @Requires(Permission.TRAINING_STOP)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "stopSession", summary = "Stop a session",
            description = "The trainer saves a checkpoint and exits (it is killed after a grace period); the session goes to "
                    + "stopping, then stopped. A stopped session can be resumed. Needs training.stop and owning the session.")
    @APIResponse(responseCode = "200", description = "The session in its new state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response stop(@Parameter(description = ID) @PathParam("id") String id) {
        return action(id, "stop", "stop");
    }

    @POST
    @Path("/{id}/pause")
    @Requires(Permission.TRAINING_STOP)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "pauseSession", summary = "Pause a session",
            description = "The trainer saves a checkpoint, exits and releases its resources; the session goes to pausing, "
                    + "then paused. resumeSession continues from that checkpoint. Needs training.stop and owning the session.")
    @APIResponse(responseCode = "200", description = "The session in its new state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response pause(@Parameter(description = ID) @PathParam("id") String id) {
        return action(id, "pause", "pause");
    }

    @POST
    @Path("/{id}/resume")
    @Requires(Permission.TRAINING_START)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "resumeSession", summary = "Resume a session",
            description = "Starts a new attempt of a paused, stopped or failed session from its latest checkpoint (through "
                    + "queued again). Needs training.start and owning the session.")
    @APIResponse(responseCode = "200", description = "The session in its new state",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response resume(@Parameter(description = ID) @PathParam("id") String id) {
        return action(id, "resume", "resume");
    }

    @POST
    @Path("/{id}/checkpoint")
    @Requires(Permission.MODELS_WRITE)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "checkpointSession", summary = "Save a checkpoint now",
            description = "Asks the running trainer to save a checkpoint at once; listModels lists it once it is saved. "
                    + "Needs models.write and owning the session.")
    @APIResponse(responseCode = "202", description = "Asked", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CheckpointRequested.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response checkpoint(@Parameter(description = ID) @PathParam("id") String id) {
        return action(id, "checkpoint", "checkpoint");
    }

    @GET
    @Path("/{id}/attempts")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "listSessionAttempts", summary = "List a session's attempts",
            description = "Each start or resume of the session, oldest first: its allocation, trainer handle and how it "
                    + "ended. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The attempts", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = SessionAttempt.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response attempts(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.TRAINING, "/sessions/" + PathSegments.id("id", id) + "/attempts", null);
    }

    @GET
    @Path("/{id}/config")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSessionConfig", summary = "Get a session's config",
            description = "The session's effective training config. Cached, with an ETag. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The config",
            headers = @Header(name = "ETag", description = "the config's version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "304", description = ApiDocument.NOT_MODIFIED)
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response config(@Parameter(description = ID) @PathParam("id") String id,
                           @Parameter(description = ApiDocument.EARLIER_ETAG) @HeaderParam(HttpHeaders.IF_NONE_MATCH)
                           String ifNoneMatch) {
        PathSegments.id("id", id);
        return cached.get(CachedReads.SESSION_CONFIG + id, Service.TRAINING, "/sessions/" + id + "/config", ifNoneMatch);
    }

    @PUT
    @Path("/{id}/config")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Operation(operationId = "updateSessionConfig", summary = "Replace a session's config",
            description = "Replaces the config of a session that is not queued or running with the body over the trainer's "
                    + "defaults, validated (400 with one error per field). Needs training.start and owning the session.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "200", description = "The new effective config",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TrainingConfig.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response updateConfig(@Parameter(description = ID) @PathParam("id") String id, JsonNode config) {
        owned(id, "configure");
        Response r = forwarder.put(Service.TRAINING, "/sessions/" + id + "/config", config);
        cache.invalidate(CachedReads.SESSION_CONFIG + id);
        directory.forget(id);
        return r;
    }

    @GET
    @Path("/{id}/gating")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSessionGating", summary = "Get a session's gating policy",
            description = "How the session gates its new checkpoints against its best (every field, defaults filled; mode "
                    + "off when it does not). Its best is bestModelId of getSession; each model's gate is in getModel. "
                    + "Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The gating policy",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatingPolicy.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response gating(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.TRAINING, "/sessions/" + PathSegments.id("id", id) + "/gating", null);
    }

    @PUT
    @Path("/{id}/gating")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.TRAINING_START)
    @Operation(operationId = "updateSessionGating", summary = "Replace a session's gating policy",
            description = "Sets how the session's new checkpoints are gated against its best, at any time, validated (400 "
                    + "with one error per field). sprt or games: each checkpoint saved from now on is gated (the first one "
                    + "becomes the best; the newest waiting one is gated at once if no gate runs); off: no new gate is "
                    + "filed (a gate that plays finishes its evaluation). Needs training.start and owning the session, as "
                    + "other changes of a session.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = GatingPolicy.class)))
    @APIResponse(responseCode = "200", description = "The new policy, defaults filled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GatingPolicy.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response updateGating(@Parameter(description = ID) @PathParam("id") String id, JsonNode policy) {
        owned(id, "configure");
        return forwarder.put(Service.TRAINING, "/sessions/" + id + "/gating",
                SessionRequests.object(policy, "{\"mode\": \"sprt\", \"elo1\": 30}"));
    }

    @GET
    @Path("/{id}/logs")
    @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getSessionLogs", summary = "Get a session's trainer log",
            description = "The last lines of the trainer's log, with server paths replaced. Needs training.monitor.")
    @Parameter(name = "tail", in = ParameterIn.QUERY, description = "how many lines",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000", defaultValue = "200"))
    @APIResponse(responseCode = "200", description = "The log's last lines",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response logs(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
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
