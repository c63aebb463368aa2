package io.keisei.training.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** Row of training.attempts: one start or resume of a session. */
@Entity
@Table(name = "attempts")
@IdClass(AttemptEntity.Key.class)
public class AttemptEntity extends PanacheEntityBase {

    @Id
    @Column(name = "session_id")
    public String sessionId;
    @Id
    public int attempt;
    @Column(name = "allocation_id")
    public String allocationId;
    @Column(name = "gpu_indices")
    public String gpuIndices;
    public String launcher;
    public String handle;
    @Column(name = "resume_checkpoint_id")
    public String resumeCheckpointId;
    @Column(name = "control_cursor")
    public String controlCursor;
    @Column(name = "exit_code")
    public Integer exitCode;
    public String reason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "ended_at")
    public Instant endedAt;

    public static AttemptEntity find(String sessionId, int attempt) {
        return find("sessionId = ?1 and attempt = ?2", sessionId, attempt).firstResult();
    }

    /** Composite key (session, attempt). */
    public static class Key implements Serializable {
        public String sessionId;
        public int attempt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.attempt == attempt && Objects.equals(k.sessionId, sessionId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionId, attempt);
        }
    }
}
