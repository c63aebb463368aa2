package io.keisei.training.persistence;

import io.keisei.contracts.api.Checkpoint;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** Row of training.checkpoints: the model registry. */
@Entity
@Table(name = "checkpoints")
public class CheckpointEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "session_id")
    public String sessionId;
    public int attempt;
    public long step;
    public String path;
    @Column(name = "size_bytes")
    public long sizeBytes;
    public String sha256;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String architecture;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String metrics;
    @Column(name = "created_at")
    public Instant createdAt;

    /** Its automatic gate against the session's best: state (api.Checkpoint.GATE_*), score, decision. */
    public String gate = Checkpoint.GATE_NONE;
    @Column(name = "gate_against")
    public String gateAgainst;
    @Column(name = "gate_wins")
    public int gateWins;
    @Column(name = "gate_draws")
    public int gateDraws;
    @Column(name = "gate_losses")
    public int gateLosses;
    @Column(name = "gate_llr")
    public Double gateLlr;
    @Column(name = "gate_evaluation_id")
    public String gateEvaluationId;
    @Column(name = "gate_reason")
    public String gateReason;
    @Column(name = "gate_decided_at")
    public Instant gateDecidedAt;

    public Checkpoint.Gate gateApi() {
        return new Checkpoint.Gate(gate, gateAgainst, gateWins, gateDraws, gateLosses, gateLlr, gateEvaluationId, gateReason,
                gateDecidedAt);
    }
}
