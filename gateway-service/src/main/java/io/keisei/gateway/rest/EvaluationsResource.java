package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.EvaluationGame;
import io.keisei.contracts.api.HeadToHead;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.contracts.api.PlayerRating;
import io.keisei.gateway.PathSegments;
import io.keisei.gateway.auth.Caller;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Requires;
import io.keisei.gateway.client.InternalReads;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.idempotency.Idempotent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Evaluations: matches run as jobs by training-service, their games and the ratings they give. */
@Path("/api/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluations")
public class EvaluationsResource {

    private static final String ID = "an evaluation id (eval-…)";

    private final Forwarder forwarder;
    private final Caller caller;
    private final InternalReads reads;

    public EvaluationsResource(Forwarder forwarder, Caller caller, InternalReads reads) {
        this.forwarder = forwarder;
        this.caller = caller;
        this.reads = reads;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires(Permission.MODELS_EVALUATE)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "createEvaluation", summary = "Run an evaluation",
            description = "Plays a match between two players (a model, \"random\" or \"baseline:<depth>\"), colours "
                    + "alternating, as a job: queued until resource-service admits it (below training's priority by "
                    + "default), then running, then completed with every game kept. The caller owns it. Needs "
                    + "models.evaluate (admin, trainer, researcher).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewEvaluation.class)))
    @APIResponse(responseCode = "201", description = "Filed (queued or already running)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Evaluation.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response create(JsonNode body) {
        ObjectNode b = SessionRequests.ownedByCaller(body, caller.get(), "{\"playerA\": \"<model id>\", \"playerB\": \"random\"}");
        return forwarder.post(Service.TRAINING, "/evaluations", b, false);
    }

    @GET
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "listEvaluations", summary = "List evaluations",
            description = "Newest first; of one session with session=. Needs models.read.")
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "only this session's evaluations",
            schema = @Schema(type = SchemaType.STRING, maxLength = 128))
    @Parameter(name = "page", in = ParameterIn.QUERY, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    @Parameter(name = "size", in = ParameterIn.QUERY,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "50"))
    @APIResponse(responseCode = "200", description = "The evaluations", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = Evaluation.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response list(@Context UriInfo uri) {
        return forwarder.get(Service.TRAINING, "/evaluations", uri);
    }

    @GET
    @Path("/ratings")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "getRatings", summary = "Get ratings",
            description = "Every player's maximum-likelihood rating on the Elo scale (the random player = 0) with its 95 % "
                    + "confidence interval, strongest first, from the games of completed evaluations: of one session's "
                    + "evaluations with session=, across sessions without. Needs models.read.")
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "only the games of this session's evaluations",
            schema = @Schema(type = SchemaType.STRING, maxLength = 128))
    @APIResponse(responseCode = "200", description = "The ratings", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = PlayerRating.class)))
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response ratings(@Context UriInfo uri) {
        return forwarder.get(Service.TRAINING, "/evaluations/ratings", uri);
    }

    @GET
    @Path("/head-to-head")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "getHeadToHead", summary = "Get the head-to-head results",
            description = "Every pair of players that met in completed evaluations, with the wins, draws and losses of their "
                    + "games summed over those evaluations (both colours together) and the newest of them: of one "
                    + "session's evaluations with session=, across sessions without. Each pair appears once, from the side "
                    + "of the player with the smaller id. Needs models.read.")
    @Parameter(name = "session", in = ParameterIn.QUERY, description = "only the games of this session's evaluations",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 128))
    @APIResponse(responseCode = "200", description = "The players and the pairs that played",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = HeadToHead.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    public Response headToHead(@Context UriInfo uri) {
        return forwarder.get(Service.TRAINING, "/evaluations/head-to-head", uri);
    }

    @GET
    @Path("/{id}")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "getEvaluation", summary = "Get an evaluation", description = "Its state and score. Needs models.read.")
    @APIResponse(responseCode = "200", description = "The evaluation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Evaluation.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response get(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.get(Service.TRAINING, "/evaluations/" + PathSegments.id("id", id), null);
    }

    @POST
    @Path("/{id}/cancel")
    @Requires(Permission.MODELS_EVALUATE)
    @Idempotent
    @Parameter(ref = ApiDocument.IDEMPOTENCY_KEY)
    @Operation(operationId = "cancelEvaluation", summary = "Cancel an evaluation",
            description = "Stops a queued or running evaluation and releases its resources; the games it finished are not "
                    + "kept. Needs models.evaluate and owning it (admins own every evaluation).")
    @APIResponse(responseCode = "200", description = "Cancelled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Evaluation.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    @APIResponse(responseCode = "409", ref = ApiDocument.CONFLICT)
    public Response cancel(@Parameter(description = ID) @PathParam("id") String id) {
        PathSegments.id("id", id);
        JsonNode e = reads.evaluation(id).orElseThrow(() -> ProblemException.notFound("evaluation", id));
        if (!caller.get().owns(e.path("owner").asText())) {
            throw new ProblemException(403, "Forbidden", "only its owner or an admin may cancel evaluation " + id, null, null, null);
        }
        return forwarder.post(Service.TRAINING, "/evaluations/" + id + "/cancel", null, false);
    }

    @GET
    @Path("/{id}/games")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "listEvaluationGames", summary = "List an evaluation's games",
            description = "Every game it played, with its moves (USI) from its start position: enough to replay it. Needs "
                    + "models.read.")
    @APIResponse(responseCode = "200", description = "The games", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = SchemaType.ARRAY, implementation = EvaluationGame.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response games(@Parameter(description = ID) @PathParam("id") String id) {
        return forwarder.get(Service.TRAINING, "/evaluations/" + PathSegments.id("id", id) + "/games", null);
    }

    @GET
    @Path("/{id}/games/{index}")
    @Requires(Permission.MODELS_READ)
    @Operation(operationId = "getEvaluationGame", summary = "Get one game of an evaluation",
            description = "One game with its moves. Needs models.read.")
    @APIResponse(responseCode = "200", description = "The game",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EvaluationGame.class)))
    @APIResponse(responseCode = "400", ref = ApiDocument.BAD_REQUEST)
    @APIResponse(responseCode = "403", ref = ApiDocument.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = ApiDocument.NOT_FOUND)
    public Response game(@Parameter(description = ID) @PathParam("id") String id,
                         @Parameter(description = "the game's index, from 0") @PathParam("index") int index) {
        return forwarder.get(Service.TRAINING, "/evaluations/" + PathSegments.id("id", id) + "/games/" + index, null);
    }
}
