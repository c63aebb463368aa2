package io.keisei.training;

import java.util.List;
import java.util.Optional;

/**
 * What {@link RatingFit} answers: every player's Elo with its 95 % confidence interval, in a
 * fixed order (rating descending, then id).
 *
 * @param players      all players that played a game or are anchors
 * @param converged    whether every connected group of players converged (false only when the
 *                     plain MLE, {@code virtualDraws = 0}, has no finite optimum or the iteration cap was hit)
 * @param iterations   the most Newton iterations any connected group needed
 * @param virtualDraws the prior the fit used (virtual draws per player, see {@link RatingFit})
 */
public record Ratings(List<Player> players, boolean converged, int iterations, double virtualDraws) {

    public Ratings {
        players = List.copyOf(players);
    }

    public Optional<Player> player(String id) {
        return players.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * One player's rating.
     *
     * @param elo      the fitted (or, for an anchor, the given) rating
     * @param lower    {@code elo - 1.96 * stdDev}
     * @param upper    {@code elo + 1.96 * stdDev}
     * @param stdDev   the standard error of {@code elo} (0 for an anchor)
     * @param games    real games played (virtual draws are not counted here)
     * @param anchor   its rating was given, not fitted
     * @param anchored its group of connected players holds an anchor; if not, the group's ratings
     *                 are relative to each other only, with the group's mean at 0
     */
    public record Player(String id, double elo, double lower, double upper, double stdDev,
                         int games, int wins, int draws, int losses, boolean anchor, boolean anchored) {

        /** Points per game, draws counting one half; NaN without games. */
        public double score() {
            return games == 0 ? Double.NaN : (wins + 0.5 * draws) / games;
        }
    }
}
