package io.keisei.training.rest;

import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.EvaluationGame;
import io.keisei.contracts.api.HeadToHead;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.contracts.api.PlayerRating;
import io.keisei.training.service.EvaluationService;
import io.keisei.training.service.HeadToHeadService;
import io.keisei.training.service.RatingService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.util.List;

/** Evaluations (matches run as jobs), their games, and the ratings their games give (internal API). */
@Path("/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final EvaluationService evaluations;
    private final RatingService ratings;
    private final HeadToHeadService headToHead;

    public EvaluationResource(EvaluationService evaluations, RatingService ratings, HeadToHeadService headToHead) {
        this.evaluations = evaluations;
        this.ratings = ratings;
        this.headToHead = headToHead;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "File an evaluation: queued until resource-service admits it, then played")
    public Response create(@NotNull(message = "a JSON body is required, e.g. {\"playerA\": \"<model id>\", \"playerB\": \"random\"}")
                           NewEvaluation body) {
        Evaluation e = evaluations.create(body);
        return Response.created(URI.create("/evaluations/" + e.id())).entity(e).build();
    }

    @GET
    @Operation(summary = "Evaluations, newest first; of one session with ?session=")
    public List<Evaluation> list(@QueryParam("session") String session,
                                 @QueryParam("page") @DefaultValue("0") @Min(value = 0, message = "must be >= 0") int page,
                                 @QueryParam("size") @DefaultValue("50") @Min(value = 1, message = "must be >= 1")
                                 @Max(value = 500, message = "must be <= 500") int size) {
        return evaluations.list(session, page, size);
    }

    @GET
    @Path("/{id}")
    public Evaluation get(@PathParam("id") String id) {
        return evaluations.get(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a queued or running evaluation (409 once it ended)")
    public Evaluation cancel(@PathParam("id") String id) {
        return evaluations.cancel(id);
    }

    @GET
    @Path("/{id}/games")
    public List<EvaluationGame> games(@PathParam("id") String id) {
        return evaluations.games(id);
    }

    @GET
    @Path("/{id}/games/{index}")
    public EvaluationGame game(@PathParam("id") String id, @PathParam("index") int index) {
        return evaluations.game(id, index);
    }

    @GET
    @Path("/ratings")
    @Operation(summary = "Ratings of every player from every evaluation game; of one session's models and the anchors "
            + "with ?session=")
    public List<PlayerRating> ratings(@QueryParam("session") String session) {
        return ratings.ratings(session);
    }

    @GET
    @Path("/head-to-head")
    @Operation(summary = "Every pair of players that met in completed evaluations, with their wins, draws and losses; "
            + "of one session's evaluations with ?session=")
    public HeadToHead headToHead(@QueryParam("session") @Size(min = 1, max = 128, message = "must be 1 to 128 characters")
                                 String session) {
        return headToHead.headToHead(session);
    }
}
