package io.keisei.resource.rest;

import io.keisei.common.rest.Problem;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.contracts.api.FieldError;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Allocations (internal API; training-service is the client). */
@Path("/allocations")
@Produces(MediaType.APPLICATION_JSON)
public class AllocationResource {

    static final int MAX_REASON_LENGTH = 500;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final AllocationService service;
    private final AllocationQueries queries;

    public AllocationResource(AllocationService service, AllocationQueries queries) {
        this.service = service;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request an allocation: 201 granted now, 202 queued (with position and reason)")
    @APIResponse(responseCode = "201", description = "Granted, with concrete GPU indices",
            content = @Content(schema = @Schema(implementation = Allocation.class)))
    @APIResponse(responseCode = "202", description = "Queued; queuePosition and reason say where and why",
            content = @Content(schema = @Schema(implementation = Allocation.class)))
    @APIResponse(responseCode = "400", description = "Invalid request or unknown pool (field errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", description = "The session already has a live allocation",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", description = "Larger than the pool: can never be granted",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response create(AllocationRequest request, @Context UriInfo uri) throws SQLException {
        Allocation a = service.request(request);
        int status = a.state() == AllocationState.GRANTED ? 201 : 202;
        return Response.status(status).location(uri.getBaseUriBuilder().path("allocations").path(a.id()).build())
                .entity(a).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One allocation; while queued, with its current position and reason")
    public Allocation get(@PathParam("id") String id) throws SQLException {
        return queries.get(id);
    }

    @GET
    @Operation(summary = "Allocations: live ones (granted, then queued in queue order) unless state says otherwise")
    public List<Allocation> list(
            @Parameter(description = "queued, granted or released; repeat or comma-separate for several; default: queued and granted")
            @QueryParam("state") List<String> state,
            @QueryParam("session") String session,
            @QueryParam("pool") String pool,
            @Parameter(description = "at most this many (default 100, max 1000)") @QueryParam("limit") Integer limit)
            throws SQLException {
        List<FieldError> errors = new ArrayList<>();
        Set<AllocationState> states = states(state, errors);
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            errors.add(new FieldError("limit", "must be in [1, " + MAX_LIMIT + "]"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.get(0).field() + ": " + errors.get(0).message(), errors);
        }
        return queries.list(states, blankToNull(session), blankToNull(pool), max);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Release an allocation (cancels a queued one); idempotent")
    public Allocation delete(@PathParam("id") String id, @QueryParam("reason") String reason) throws SQLException {
        return service.release(id, checkedReason(reason));
    }

    @POST
    @Path("/{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Release an allocation with an optional reason; idempotent")
    public Allocation release(@PathParam("id") String id, ReleaseRequest body) throws SQLException {
        return service.release(id, checkedReason(body == null ? null : body.reason()));
    }

    private static Set<AllocationState> states(List<String> raw, List<FieldError> errors) {
        Set<AllocationState> states = EnumSet.noneOf(AllocationState.class);
        if (raw != null) {
            for (String param : raw) {
                for (String s : param.split(",")) {
                    if (s.isBlank()) {
                        continue;
                    }
                    try {
                        states.add(AllocationState.valueOf(s.strip().toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError("state", "unknown state '" + s.strip() + "' (queued, granted or released)"));
                    }
                }
            }
        }
        return states.isEmpty() ? EnumSet.of(AllocationState.QUEUED, AllocationState.GRANTED) : states;
    }

    private static String checkedReason(String reason) {
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw ProblemException.badRequest("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return reason;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
