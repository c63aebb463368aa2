package io.keisei.training.service;

import io.keisei.contracts.api.EvaluationRules;
import io.keisei.contracts.api.PlayerRating;
import io.keisei.training.GameOutcome;
import io.keisei.training.RatingFit;
import io.keisei.training.Ratings;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.EvaluationGameEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ratings from evaluation games: one maximum-likelihood fit ({@link RatingFit}) over the games of a session's
 * evaluations, or of all evaluations for ratings across sessions, with the random player anchored at 0. Recomputed
 * on each read: the fit aggregates games per pair first, so thousands of games cost milliseconds.
 */
@ApplicationScoped
public class RatingService {

    /** The fixed point of the scale: the uniformly random player. Baseline engines are fitted like models. */
    static final Map<String, Double> ANCHORS = Map.of(EvaluationRules.RANDOM, 0.0);

    private final RatingFit fit = new RatingFit();

    /** Every rated player, strongest first; of one session's evaluations when {@code session} is given. */
    public List<PlayerRating> ratings(String session) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> ids = (session == null
                    ? EvaluationEntity.<EvaluationEntity>list("state", "completed")
                    : EvaluationEntity.<EvaluationEntity>list("state = ?1 and sessionId = ?2", "completed", session))
                    .stream().map(e -> e.id).toList();
            List<GameOutcome> games = new ArrayList<>();
            if (!ids.isEmpty()) {
                for (EvaluationGameEntity g : EvaluationGameEntity.<EvaluationGameEntity>list("evaluationId in ?1", ids)) {
                    double blackScore = switch (g.result) {
                        case "black_win" -> 1.0;
                        case "white_win" -> 0.0;
                        default -> 0.5;
                    };
                    games.add(new GameOutcome(g.black, g.white, blackScore));
                }
            }
            if (games.isEmpty()) {
                return List.of();
            }
            Ratings r = fit.fit(games, ANCHORS);
            Map<String, CheckpointEntity> models = new HashMap<>();
            List<String> modelIds = r.players().stream().map(Ratings.Player::id).filter(p -> !EvaluationRules.isFixed(p)).toList();
            if (!modelIds.isEmpty()) {
                CheckpointEntity.<CheckpointEntity>list("id in ?1", modelIds).forEach(c -> models.put(c.id, c));
            }
            return r.players().stream().map(p -> {
                CheckpointEntity c = models.get(p.id());
                return new PlayerRating(p.id(), c == null ? null : c.sessionId, c == null ? null : c.step, p.elo(),
                        p.lower(), p.upper(), p.games(), p.wins(), p.draws(), p.losses(), p.anchor(), p.anchored());
            }).toList();
        });
    }
}
