package io.keisei.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What the gateway reads from resource-service for itself: the pools and the host it combines into one answer. */
@Path("/resources")
@Produces(MediaType.APPLICATION_JSON)
public interface ResourceApi {

    @GET
    @Path("/pools")
    JsonNode pools();

    @GET
    @Path("/host")
    JsonNode host();
}
