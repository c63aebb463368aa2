package io.keisei.training.persistence;

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
}
