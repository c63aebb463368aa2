package io.keisei.training.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** Row of training.sessions. The optimistic version guards concurrent transitions. */
@Entity
@Table(name = "sessions")
public class SessionEntity extends PanacheEntityBase {

    @Id
    public String id;
    public String name;
    public String owner;
    public int priority;
    public String state;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String config;
    @Column(name = "current_step")
    public long currentStep;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    public String template;
    public String trainer;
    @Column(name = "owner_role")
    public String ownerRole;
    @Column(name = "attempt_count")
    public int attemptCount;
    @Column(name = "latest_checkpoint_id")
    public String latestCheckpointId;
    @Column(name = "resume_from_checkpoint_id")
    public String resumeFromCheckpointId;
    @Column(name = "state_reason")
    public String stateReason;
    /** The gating policy as JSON (defaults filled); null: gating off. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public String gating;
    /** The session's best model as automatic gating decided. */
    @Column(name = "best_checkpoint_id")
    public String bestCheckpointId;
    /** The resource pool its allocations come from; null: resource-service's default pool. */
    public String pool;
    /** The replica that supervises this session's trainer (docs/training-orchestrator.md#replicas-leases-and-fencing). */
    @Column(name = "owner_replica")
    public String ownerReplica;
    /** The fencing token of that ownership: one more at every change of owner. */
    @Column(name = "owner_epoch")
    public long ownerEpoch;
    @Version
    public long version;
}
