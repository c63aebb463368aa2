package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** A training session as the API shows it (training-service's answer to /sessions). */
@Schema(name = "Session", description = "A training session.")
public record Session(
        @Schema(required = true, description = "the session id") String id,
        @Schema(required = true) String name,
        @Schema(required = true, description = "who owns it: the owner of the token that created it") String owner,
        @Schema(description = "0..1000, higher is admitted first") int priority,
        @Schema(required = true) SessionState state,
        @Schema(description = "why the session is in its state, when there is something to say (a failure, a queue wait)")
        String stateReason,
        @Schema(description = "the template it was made from, if any") String template,
        @Schema(description = "the trainer that runs it (see listTrainers)") String trainer,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "the effective training config, in the trainer's dialect") JsonNode config,
        @Schema(description = "the latest global timestep reported") long currentStep,
        @Schema(description = "how many times it was started or resumed") int attempts,
        @Schema(description = "the newest checkpoint (model id)") String latestCheckpointId,
        @Schema(description = "the model it was created from (resumeFrom or a fork)") String resumeFromCheckpointId,
        Instant createdAt,
        Instant updatedAt,
        @Schema(description = "how its new checkpoints are gated against its best (mode off: not at all)")
        GatingPolicy gating,
        @Schema(description = "its best model as gating decided (the first checkpoint gated, then each one promoted); "
                + "null before gating marked one") String bestModelId,
        @Schema(description = "the resource pool its trainer runs in (GET /api/v1/resources lists them); null: the default pool")
        String pool) {
}
