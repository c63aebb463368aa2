package io.keisei.metrics.rest;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.Game;
import io.keisei.contracts.api.GameSummary;
import io.keisei.metrics.persistence.GameQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.sql.SQLException;
import java.util.List;

/**
 * A session's games (keisei:games): the recent ones, and one of them. A root path of its own: JAX-RS
 * picks the root resource with the longest literal path, so these methods could not live in a class
 * under {@code /} next to {@link SessionMetricsResource}'s {@code /sessions/{session}}.
 */
@Path("/sessions/{session}/games")
@Produces(MediaType.APPLICATION_JSON)
public class SessionGamesResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;

    private final GameQueries games;

    public SessionGamesResource(GameQueries games) {
        this.games = games;
    }

    @GET
    @Operation(summary = "Recent games of a session, newest first (by when they were first seen)")
    public List<GameSummary> recent(@PathParam("session") String session,
                                    @Parameter(description = "1..200, default 20") @QueryParam("limit") String limit)
            throws SQLException {
        return games.recent(session, limit(limit));
    }

    @GET
    @Path("/{gameId}")
    @Operation(summary = "One game of a session with its USI moves and the positions seen")
    public Game game(@PathParam("session") String session, @PathParam("gameId") String gameId) throws SQLException {
        List<Game> found = games.find(gameId, session);
        if (found.isEmpty()) {
            throw ProblemException.notFound("game", gameId);
        }
        return found.get(0);
    }

    private static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("limit", "must be an integer between 1 and " + MAX_LIMIT);
    }
}
