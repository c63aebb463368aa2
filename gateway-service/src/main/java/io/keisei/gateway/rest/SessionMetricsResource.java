package io.keisei.gateway.rest;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** A session's metric history, latest values, export and games: the public face of metrics-service. */
@Path("/api/v1/sessions/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics and games")
public class SessionMetricsResource {

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
    @Path("/metrics")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "History: names=a,b&from=&to=&max_points=1000&cursor= → raw points or min/max/last buckets (spikes kept)")
    public Response history(@PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics", uri);
    }

    @GET
    @Path("/metrics/latest")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The latest value of every metric of the session")
    public Response latest(@PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics/latest", null);
    }

    @GET
    @Path("/metrics/names")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The metric names the session has reported")
    public Response names(@PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/metrics/names", null);
    }

    @GET
    @Path("/metrics/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Every raw point, streamed: format=csv|json, optional names=")
    public Response export(@PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.forward(Service.METRICS, "GET", Forwarder.withQuery("/sessions/" + existing(id) + "/metrics/export", uri), null,
                Map.of(), true);
    }

    @GET
    @Path("/metrics/attempts")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Attempt boundaries (step where each attempt began): chart markers")
    public Response attempts(@PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/attempts", null);
    }

    @GET
    @Path("/events")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "The session's lifecycle events as stored by metrics-service")
    public Response events(@PathParam("id") String id) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/events", null);
    }

    @GET
    @Path("/games/{gameId}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "One game of the session: moves (USI), positions (SFEN per ply), result")
    public Response game(@PathParam("id") String id, @PathParam("gameId") String gameId) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/games/" + PathSegments.id("gameId", gameId), null);
    }

    @GET
    @Path("/games")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "Recent games of the session, newest first (limit=20)")
    public Response games(@PathParam("id") String id, @Context UriInfo uri) {
        return forwarder.getShared(Service.METRICS, "/sessions/" + existing(id) + "/games", uri);
    }
}
