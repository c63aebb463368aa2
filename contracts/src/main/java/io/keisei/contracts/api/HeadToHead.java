package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Who beat whom: the results of every pair of players that met in completed evaluations, summed over those
 * evaluations, with both colours counted together. Each pair appears once, {@code a} before {@code b} by id; the
 * score of {@code b} against {@code a} is the mirror image.
 */
@Schema(name = "HeadToHead", description = "The results of every pair of players that met in completed evaluations (of "
        + "one session, or of all), summed over those evaluations. Each pair appears once, a before b by id.")
public record HeadToHead(
        @Schema(required = true, description = "every player of a pair, by id") List<Player> players,
        @Schema(required = true, description = "every pair that played at least one game") List<Pair> pairs) {

    public HeadToHead {
        players = List.copyOf(players);
        pairs = List.copyOf(pairs);
    }

    /** A player of the matrix: a model (with its session and step, where the registry still has it) or a fixed player. */
    @Schema(name = "HeadToHeadPlayer")
    public record Player(
            @Schema(required = true, description = "a model id, \"random\" or \"baseline:<depth>\"") String id,
            @Schema(description = "the session of a model player") String session,
            @Schema(description = "the step a model was saved at") Long step) {
    }

    /** The games of two players against each other, from {@code a}'s side. */
    @Schema(name = "HeadToHeadPair")
    public record Pair(
            @Schema(required = true, description = "the player whose side the counts take (the smaller id)") String a,
            @Schema(required = true, description = "its opponent") String b,
            @Schema(description = "games a won") int aWins,
            int draws,
            @Schema(description = "games b won") int bWins,
            @Schema(description = "games played: aWins + draws + bWins") int games,
            @Schema(description = "completed evaluations these games come from") int evaluations,
            @Schema(description = "the newest of those evaluations (its games replay in the evaluation viewer)")
            String latestEvaluation) {
    }
}
