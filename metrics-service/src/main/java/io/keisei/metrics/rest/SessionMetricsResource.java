package io.keisei.metrics.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.LatestMetrics;
import io.keisei.contracts.api.MetricAttempt;
import io.keisei.contracts.api.MetricClock;
import io.keisei.contracts.api.MetricHistory;
import io.keisei.contracts.api.MetricPoint;
import io.keisei.contracts.api.SessionEvent;
import io.keisei.metrics.persistence.MetricQueries;
import io.keisei.metrics.persistence.PointExport;
import io.keisei.metrics.service.HistoryService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Per-session metric reads: latest values, history (bucketed or paged), clock, names, attempts, events, export. */
@Path("/sessions/{session}")
@Produces(MediaType.APPLICATION_JSON)
public class SessionMetricsResource {

    private final MetricQueries queries;
    private final HistoryService history;
    private final PointExport export;
    private final ObjectMapper json;

    public SessionMetricsResource(MetricQueries queries, HistoryService history, PointExport export, ObjectMapper json) {
        this.queries = queries;
        this.history = history;
        this.export = export;
        this.json = json;
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
    @Path("/metrics")
    @Operation(summary = "Metric history in a step range, at most max_points per metric",
            description = "Per metric: raw points [step, value] when the range holds <= max_points of them, otherwise "
                    + "buckets [start, end, min, max, last, count] of the finest tier that fits. With cursor or limit: "
                    + "raw points paged metric by metric, nextCursor continues.")
    public MetricHistory history(@PathParam("session") String session,
                                 @Parameter(description = "comma-separated metric names; all when absent") @QueryParam("names") String names,
                                 @Parameter(description = "first step, default 0") @QueryParam("from") String from,
                                 @Parameter(description = "last step, default open") @QueryParam("to") String to,
                                 @Parameter(description = "10..10000, default 1000") @QueryParam("max_points") String maxPoints,
                                 @Parameter(description = "raw paging: nextCursor of the previous page") @QueryParam("cursor") String cursor,
                                 @Parameter(description = "raw paging: points per page, 1..10000, default 1000") @QueryParam("limit") String limit)
            throws SQLException {
        if (cursor != null || limit != null) {
            return history.page(HistoryParams.page(session, names, from, to, cursor, limit));
        }
        return history.history(HistoryParams.history(session, names, from, to, maxPoints));
    }

    @GET
    @Path("/metrics/clock")
    @Operation(summary = "When the trainer reported which step, sampled over a step range",
            description = "At most max_points [step, epochMillis] samples spread evenly over the steps of the range, by step, "
                    + "always with the range's first and last raw point: a chart interpolates between them for a "
                    + "wall-clock or relative-time axis. Empty without raw points in the range.")
    public MetricClock clock(@PathParam("session") String session,
                             @Parameter(description = "first step, default 0") @QueryParam("from") String from,
                             @Parameter(description = "last step, default open") @QueryParam("to") String to,
                             @Parameter(description = "2..10000, default 500") @QueryParam("max_points") String maxPoints)
            throws SQLException {
        return history.clock(HistoryParams.clock(session, from, to, maxPoints));
    }

    @GET
    @Path("/metrics/names")
    @Operation(summary = "Names of the metrics a session has data for")
    public List<String> names(@PathParam("session") String session) throws SQLException {
        return queries.names(session);
    }

    @GET
    @Path("/metrics/export")
    @Produces({"text/csv", MediaType.APPLICATION_JSON})
    @Operation(summary = "Every raw point of a session, streamed as CSV or JSON")
    public Response export(@PathParam("session") String session,
                           @Parameter(description = "csv (default) or json") @QueryParam("format") String format,
                           @Parameter(description = "comma-separated metric names; all when absent") @QueryParam("names") String names) {
        String f = format == null || format.isEmpty() ? "csv" : format;
        if (!f.equals("csv") && !f.equals("json")) {
            throw ProblemException.badRequest("format", "must be csv or json");
        }
        List<String> n = HistoryParams.namesOnly(names);
        StreamingOutput body = out -> {
            try (ExportWriter w = f.equals("csv") ? ExportWriter.csv(out) : ExportWriter.json(json.getFactory(), out, session)) {
                export.forEach(session, n, w);
            } catch (SQLException e) {
                throw new IOException("export of " + session + " failed: " + e.getMessage(), e);
            }
        };
        String file = "metrics-" + session.replaceAll("[^A-Za-z0-9._-]", "_") + "." + f;
        return Response.ok(body, f.equals("csv") ? "text/csv; charset=utf-8" : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                .build();
    }

    @GET
    @Path("/attempts")
    @Operation(summary = "Attempts of a session (1 + one per resume) with their step spans: chart markers")
    public List<MetricAttempt> attempts(@PathParam("session") String session) throws SQLException {
        return queries.attempts(session);
    }

    @GET
    @Path("/events")
    @Operation(summary = "Lifecycle events of a session (attempt markers for charts)")
    public List<SessionEvent> events(@PathParam("session") String session) throws SQLException {
        return queries.events(session);
    }
}
