package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to a checkpoint request: the running trainer was asked, by the control command requestId. */
@Schema(name = "CheckpointRequested", description = "The running trainer was asked for a checkpoint; the model appears "
        + "in listModels once it is saved (a checkpoint.saved event on the hub).")
public record CheckpointRequested(@Schema(required = true) String session,
                                  @Schema(required = true, description = "the id of the control command") String requestId) {
}
