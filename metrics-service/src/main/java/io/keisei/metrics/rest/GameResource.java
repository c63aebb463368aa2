package io.keisei.metrics.rest;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.Game;
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

/** One game by its id, with its USI moves and the positions seen. */
@Path("/games")
@Produces(MediaType.APPLICATION_JSON)
public class GameResource {

    private final GameQueries games;

    public GameResource(GameQueries games) {
        this.games = games;
    }

    @GET
    @Path("/{gameId}")
    @Operation(summary = "One game with its USI moves and the positions seen",
            description = "Trainers number games per session (selfplay-N), so the same id can exist in several "
                    + "sessions: then this answers 409 unless `session` picks one.")
    public Game game(@PathParam("gameId") String gameId,
                     @Parameter(description = "the session of the game, when its id is not unique") @QueryParam("session") String session)
            throws SQLException {
        List<Game> found = games.find(gameId, session);
        if (found.isEmpty()) {
            throw ProblemException.notFound("game", gameId);
        }
        if (found.size() > 1) {
            throw ProblemException.conflict("game id '" + gameId + "' exists in sessions "
                    + found.stream().map(Game::session).toList() + "; add ?session= or use /sessions/{session}/games/" + gameId,
                    null);
        }
        return found.get(0);
    }
}
