package io.keisei.gateway.rest;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One self-play game: its moves and the positions seen. */
@Path("/api/v1/games")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics and games")
public class GamesResource {

    private final Forwarder forwarder;

    public GamesResource(Forwarder forwarder) {
        this.forwarder = forwarder;
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.TRAINING_MONITOR)
    @Operation(summary = "A game: moves (USI), positions (SFEN per ply), result; session= disambiguates a reused id")
    public Response game(@PathParam("id") String id, @Context UriInfo uri) {
        // Game ids are unique per session only: ?session= picks one when several sessions reuse an id (else 409).
        return forwarder.getShared(Service.METRICS, "/games/" + PathSegments.id("id", id), uri);
    }
}
