package io.keisei.gateway.rest;

import io.keisei.contracts.api.Game;
import io.keisei.contracts.api.GameSummary;
import io.keisei.contracts.api.LatestMetrics;
import io.keisei.contracts.api.MetricAttempt;
import io.keisei.contracts.api.MetricClock;
import io.keisei.contracts.api.MetricHistory;
import io.keisei.contracts.api.SessionEvent;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.service.SessionDirectory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** A session's metric history, clock, latest values, export and games: the public face of metrics-service. */
// The same class path as SessionsResource, so the two are one class match: under /api/v1/sessions/{id} this class would
// match first, and every request for SessionsResource's sub-paths (status, start, ...) restarted the match, building
// a fresh request mapper each time.
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
@APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
@APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
@APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
@APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
public class SessionMetricsResource {

    static final String METRICS = "Metrics";
    static final String GAMES = "Games";
    private static final String ID = "the session id";
    private static final String NAMES = "comma-separated metric names (e.g. ppo/policy_loss,ppo/entropy); all when absent";

    private final Forwarder forwarder;
    private final SessionDirectory directory;

    public SessionMetricsResource(Forwarder forwarder, SessionDirectory directory) {
        this.forwarder = forwarder;
        this.directory = directory;
    }

    /** The id, checked to name a session that exists: a session's data answers 404 just as the session does. */
    private String existing(String id) {
        PathSegments.id("id", id);
        directory.get(id);
        return id;
    }

    @GET
    @Path("/{id}/metrics")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "getMetricHistory", summary = "Get metric history",
            description = "Per metric, in a step range: the raw points when the range holds at most max_points of them, "
                    + "otherwise min/max/last buckets of the finest tier that fits (spikes kept). With cursor or limit: raw "
                    + "points paged metric by metric, nextCursor continues. Needs training.monitor.")
    @Parameter(name = "names", in = ParameterIn.QUERY, description = NAMES, schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "first step (default 0)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "last step (default: open)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @Parameter(name = "max_points", in = ParameterIn.QUERY, description = "at most this many points or buckets per metric",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "10", maximum = "10000", defaultValue = "1000"))
    @Parameter(name = "cursor", in = ParameterIn.QUERY, description = "raw paging: nextCursor of the previous page",
            schema = @Schema(type = SchemaType.STRING))
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "raw paging: points per page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000", defaultValue = "1000"))
    @APIResponse(responseCode = "200", description = "One series per metric",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MetricHistory.class)))
    public Response history(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics", uri);
    }

    @GET
    @Path("/{id}/metrics/clock")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "getMetricClock", summary = "Get the session's clock",
            description = "When the trainer reported which step: at most max_points [step, epochMillis] samples spread evenly "
                    + "over the steps of the range, by step, always with the range's first and last reported step. A chart "
                    + "interpolates between neighbouring samples to draw metric history against wall-clock or relative time. "
                    + "Steps whose raw points retention deleted have no clock; empty without raw points in the range. Needs "
                    + "training.monitor.")
    @Parameter(name = "from", in = ParameterIn.QUERY, description = "first step (default 0)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @Parameter(name = "to", in = ParameterIn.QUERY, description = "last step (default: open)",
            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
    @Parameter(name = "max_points", in = ParameterIn.QUERY, description = "at most this many samples",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "2", maximum = "10000", defaultValue = "500"))
    @APIResponse(responseCode = "200", description = "The samples",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MetricClock.class)))
    public Response clock(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics/clock", uri);
    }

    @GET
    @Path("/{id}/metrics/latest")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "getLatestMetrics", summary = "Get the latest metrics",
            description = "The newest value (and its step) of every metric the session has reported. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The latest values",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LatestMetrics.class)))
    public Response latest(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics/latest", null);
    }

    @GET
    @Path("/{id}/metrics/names")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "listMetricNames", summary = "List metric names",
            description = "The names of the metrics the session has reported, e.g. ppo/policy_loss. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The names", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = String.class)))
    public Response names(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics/names", null);
    }

    @GET
    @Path("/{id}/metrics/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "exportMetrics", summary = "Export every metric point",
            description = "Every raw point of the session, streamed as a file: CSV (metric,step,value,attempt,wall_time) or "
                    + "JSON. Needs training.monitor.")
    @Parameter(name = "format", in = ParameterIn.QUERY, description = "csv (default) or json",
            schema = @Schema(type = SchemaType.STRING, enumeration = {"csv", "json"}, defaultValue = "csv"))
    @Parameter(name = "names", in = ParameterIn.QUERY, description = NAMES, schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "The points, as an attachment",
            headers = @Header(name = "Content-Disposition", description = "attachment; filename=...",
                    schema = @Schema(type = SchemaType.STRING)),
            // A file in either format (binary), not a JSON value to decode: generated clients save it as it comes.
            content = {@Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response export(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.forward(Service.METRICS, "GET", Forwarder.withQuery("/sessions/" + existing(id) + "/metrics/export", uri), null,
                Map.of(), true);
    }

    @GET
    @Path("/{id}/metrics/attempts")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "listMetricAttempts", summary = "List attempt boundaries",
            description = "Each attempt of the session and the steps its stored points span (where a chart marks a resume). "
                    + "Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The attempts", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = MetricAttempt.class)))
    public Response attempts(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/attempts", null);
    }

    @GET
    @Path("/{id}/events")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = METRICS)
    @Operation(operationId = "listSessionEvents", summary = "List a session's events",
            description = "The session's lifecycle events (starts, pauses, stops, checkpoints, allocations), oldest first. "
                    + "Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The events", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = SessionEvent.class)))
    public Response events(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/events", null);
    }

    @GET
    @Path("/{id}/games/{gameId}")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = GAMES)
    @Operation(operationId = "getSessionGame", summary = "Get a game of a session",
            description = "One self-play game of the session: its USI moves, the position (SFEN) after every ply and the "
                    + "result. Needs training.monitor.")
    @APIResponse(responseCode = "200", description = "The game",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Game.class)))
    public Response game(@Parameter(description = ID) @PathParam("id") String id,
                         @Parameter(description = "the game id, e.g. selfplay-12") @PathParam("gameId") String gameId) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/games/" + PathSegments.id("gameId", gameId), null);
    }

    @GET
    @Path("/{id}/games")
    @Requires(Permission.TRAINING_MONITOR)
    @Tag(name = GAMES)
    @Operation(operationId = "listSessionGames", summary = "List a session's recent games",
            description = "The session's most recent self-play games, newest first, without their moves. Needs training.monitor.")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "at most this many",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200", defaultValue = "20"))
    @APIResponse(responseCode = "200", description = "The games", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = GameSummary.class)))
    public Response games(@Parameter(description = ID) @PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/games", uri);
    }
}
