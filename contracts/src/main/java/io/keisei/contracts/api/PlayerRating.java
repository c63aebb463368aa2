package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A player's rating on the Elo scale with its 95 % confidence interval. */
@Schema(name = "PlayerRating", description = "A player's maximum-likelihood rating on the Elo scale (random = 0) with "
        + "its 95 % confidence interval, from every evaluation game it played.")
public record PlayerRating(
        @Schema(required = true, description = "a model id, \"random\" or \"baseline:<depth>\"") String player,
        @Schema(description = "the session of a model player") String session,
        @Schema(description = "the step a model was saved at") Long step,
        double elo,
        double lower,
        double upper,
        int games,
        int wins,
        int draws,
        int losses,
        @Schema(description = "a fixed player whose rating is set, not fitted") boolean anchor,
        @Schema(description = "false when no chain of games links it to an anchor: then rated relative to its group only")
        boolean anchored) {
}
