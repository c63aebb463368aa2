package io.keisei.training.persistence;

import io.keisei.contracts.api.EvaluationGame;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Row of training.evaluation_games: one game of an evaluation with its moves. */
@Entity
@Table(name = "evaluation_games")
@IdClass(EvaluationGameEntity.Key.class)
public class EvaluationGameEntity extends PanacheEntityBase {

    @Id
    @Column(name = "evaluation_id")
    public String evaluationId;
    @Id
    public int idx;
    public String black;
    public String white;
    public String result;
    public String reason;
    public int plies;
    @Column(name = "start_sfen")
    public String startSfen;
    /** USI moves separated by single spaces. */
    public String moves;

    public EvaluationGame toApi() {
        List<String> list = moves == null || moves.isBlank() ? List.of() : Arrays.asList(moves.split(" "));
        return new EvaluationGame(evaluationId, idx, black, white, result, reason, plies, startSfen, list);
    }

    /** Composite key. */
    public static class Key implements Serializable {
        public String evaluationId;
        public int idx;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.idx == idx && Objects.equals(k.evaluationId, evaluationId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(evaluationId, idx);
        }
    }
}
