package io.keisei.training.client;

import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.jboss.resteasy.reactive.RestResponse;

/** resource-service's allocation API (its {@code AllocationResource}), in the types of contracts. */
@Path("/allocations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RegisterProvider(ResourceServiceProblems.class)
public interface AllocationApi {

    /** 201 with the allocation when granted now, 202 with the queued request otherwise. */
    @POST
    RestResponse<Allocation> request(AllocationRequest request);

    /** Releasing twice is harmless (the second answers 404 or the released allocation). */
    @DELETE
    @Path("/{id}")
    RestResponse<Void> release(@PathParam("id") String id);
}
