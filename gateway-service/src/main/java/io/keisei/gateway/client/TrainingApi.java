package io.keisei.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the gateway reads from training-service for itself: session records and model metadata. */
@Produces(MediaType.APPLICATION_JSON)
public interface TrainingApi {

    /** A session record (training-service's {@code Session}): owner, state, config. */
    @GET
    @Path("/sessions/{id}")
    JsonNode session(@PathParam("id") String id);

    /** A model's metadata (training-service's {@code Checkpoint}): the session that saved it. */
    @GET
    @Path("/models/{id}")
    JsonNode model(@PathParam("id") String id);

    @GET
    @Path("/evaluations/{id}")
    JsonNode evaluation(@PathParam("id") String id);
}
