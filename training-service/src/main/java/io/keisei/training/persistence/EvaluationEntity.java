package io.keisei.training.persistence;

import io.keisei.contracts.EvaluationInfo;
import io.keisei.contracts.api.Evaluation;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** Row of training.evaluations: one match between two players, run as a job. */
@Entity
@Table(name = "evaluations")
public class EvaluationEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "session_id")
    public String sessionId;
    public String owner;
    @Column(name = "player_a")
    public String playerA;
    @Column(name = "player_b")
    public String playerB;
    public int games;
    public long seed;
    public int priority;
    public String state;
    @Column(name = "state_reason")
    public String stateReason;
    @Column(name = "allocation_id")
    public String allocationId;
    public String handle;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "a_wins")
    public int aWins;
    @Column(name = "b_wins")
    public int bWins;
    public int draws;
    /** The challenger model this evaluation gates, when automatic gating filed it; else null. */
    public String gate;
    @Column(name = "owner_role")
    public String ownerRole;
    /** The replica that supervises its match, and the fencing token of that ownership (as sessions have). */
    @Column(name = "owner_replica")
    public String ownerReplica;
    @Column(name = "owner_epoch")
    public long ownerEpoch;

    public Evaluation toApi() {
        return new Evaluation(id, sessionId, owner, playerA, playerB, games, seed, priority, state, stateReason, aWins,
                bWins, draws, gate, createdAt, startedAt, finishedAt);
    }

    /** What evaluation.* events carry. */
    public EvaluationInfo info() {
        return new EvaluationInfo(id, sessionId, playerA, playerB, games, state, aWins, draws, bWins, gate);
    }
}
