package io.keisei.metrics.rest;

import io.keisei.metrics.MetricPoint;
import io.keisei.metrics.SessionEvent;
import io.keisei.metrics.persistence.MetricQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Per-session metric reads. */
@Path("/sessions/{session}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionMetricsResource {

    /** The newest value of every metric of a session. */
    public record LatestMetrics(String session, long step, Map<String, MetricPoint> metrics) {
    }

    private final MetricQueries queries;

    public SessionMetricsResource(MetricQueries queries) {
        this.queries = queries;
    }

    @GET
    @Path("/metrics/latest")
    @Operation(summary = "Newest value of every metric of a session")
    public LatestMetrics latest(@PathParam("session") String session) throws SQLException {
        Map<String, MetricPoint> latest = queries.latest(session);
        long step = latest.values().stream().mapToLong(MetricPoint::step).max().orElse(0);
        return new LatestMetrics(session, step, latest);
    }

    @GET
    @Path("/events")
    @Operation(summary = "Lifecycle events of a session (attempt markers for charts)")
    public List<SessionEvent> events(@PathParam("session") String session) throws SQLException {
        return queries.events(session);
    }
}
