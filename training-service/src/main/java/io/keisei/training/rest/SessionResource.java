package io.keisei.training.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.training.Session;
import io.keisei.training.SessionState;
import io.keisei.training.service.SessionService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** Training sessions: create, read, list. */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** Body of POST /sessions. */
    public record CreateSessionRequest(
            @NotBlank @Size(max = 100) @Pattern(regexp = "[\\p{L}\\p{N} _.:-]*",
                    message = "may contain letters, digits, spaces and _ . : - only") String name,
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_.@-]*",
                    message = "may contain letters, digits and _ . @ - only") String owner,
            @Min(0) @Max(1000) Integer priority,
            JsonNode config) {
    }

    /** A page of sessions with the total for paging controls. */
    public record SessionPage(List<Session> items, int page, int size, long total) {
    }

    private final SessionService sessions;

    public SessionResource(SessionService sessions) {
        this.sessions = sessions;
    }

    @POST
    @Operation(summary = "Create a session (state: created)")
    public Response create(@NotNull(message = "a JSON body is required") @Valid CreateSessionRequest body,
                           @Context UriInfo uri) {
        if (body.config() != null && !body.config().isObject()) {
            throw ProblemException.badRequest("config", "must be a JSON object");
        }
        Session s = sessions.create(new SessionService.NewSession(body.name().strip(), body.owner(),
                body.priority() == null ? 0 : body.priority(), body.config()));
        return Response.created(uri.getAbsolutePathBuilder().path(s.id()).build()).entity(s).build();
    }

    @GET
    @Operation(summary = "List sessions, newest first")
    public SessionPage list(@QueryParam("owner") String owner, @QueryParam("state") String state,
                            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                            @QueryParam("size") @DefaultValue("20") @Min(1) @Max(200) int size) {
        SessionState filter = parseState(state);
        return new SessionPage(sessions.list(owner, filter, page, size), page, size, sessions.count(owner, filter));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One session")
    public Session get(@PathParam("id") String id) {
        return sessions.get(id);
    }

    private static SessionState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return SessionState.fromWire(state);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state", "unknown state '" + state + "'");
        }
    }
}
