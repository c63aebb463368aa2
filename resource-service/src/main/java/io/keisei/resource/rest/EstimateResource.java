package io.keisei.resource.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.common.rest.Problem;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.ResourceEstimate;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.contracts.config.InvalidConfigException;
import io.keisei.contracts.config.TrainingConfig;
import io.keisei.resource.service.ResourceEstimator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** What a training config needs: CPU, memory and GPUs, with the arithmetic behind them. */
@Path("/estimate")
@Produces(MediaType.APPLICATION_JSON)
public class EstimateResource {

    private final ResourceEstimator estimator;

    public EstimateResource(ResourceEstimator estimator) {
        this.estimator = estimator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Estimate the resources of a Keisei config (partial configs are merged over the defaults)")
    @APIResponse(responseCode = "200", description = "The estimate and its breakdown")
    @APIResponse(responseCode = "400", description = "The config is invalid (field errors)",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ResourceEstimate estimate(JsonNode config) {
        TrainingConfig valid;
        try {
            valid = ConfigValidator.validate(config);
        } catch (InvalidConfigException e) {
            throw ProblemException.badRequest(e.getMessage(),
                    e.errors().stream().map(err -> new FieldError(err.field(), err.message())).toList());
        }
        return estimator.estimate(valid);
    }
}
