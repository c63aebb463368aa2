package io.keisei.gateway.rest;

import io.keisei.contracts.api.Game;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.Service;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One self-play game: its moves and the positions seen. */
@Path("/api/v1/games")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = SessionMetricsResource.GAMES)
public class GamesResource {

    private final Forwarder forwarder;

    public GamesResource(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(operationId = "getGame", summary = "Get a game",
            description = "One self-play game by its id: USI moves, the position (SFEN) after every ply and the result. Game "
                    + "ids are unique per session only: when several sessions have the id, session picks one (else 409). "
                    + "Needs training.monitor.")
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "the session of the game, when its id is not unique",
            schema = @Schema(type = SchemaType.STRING))
    @APIResponse(responseCode = "200", description = "The game",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Game.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    @APIResponse(responseCode = "502", ref = ApiDocument.BAD_GATEWAY)
    @APIResponse(responseCode = "503", ref = ApiDocument.SERVICE_UNAVAILABLE)
    public Response game(@Parameter(description = "the game id, e.g. selfplay-12") @PathParam("id") String id,
                         @Context UriInfo uri) {
        // Game ids are unique per session only: ?session= picks one when several sessions reuse an id (else 409).
        return forwarder.getShared(Service.METRICS, "/games/" + PathSegments.id("id", id), uri);
    }
}
