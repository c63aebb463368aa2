-- Replicas, leases and fencing (docs/training-orchestrator.md, "Replicas, leases and fencing").
-- Each training-service replica holds a lease row, renewed every few seconds; the database clock alone decides
-- whether it has expired. An expired lease is final: its replica re-registers under a new id.
CREATE TABLE replicas (
    id          text        PRIMARY KEY,   -- HOSTNAME (pod name) + a random suffix, new at every registration
    host        text        NOT NULL,
    started_at  timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- Which replica supervises a session's trainer (or an evaluation's match), and the fencing token of that ownership:
-- owner_epoch grows by one at every change of owner, and a replica acts only where both still name it.
ALTER TABLE sessions ADD COLUMN owner_replica text;
ALTER TABLE sessions ADD COLUMN owner_epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE evaluations ADD COLUMN owner_replica text;
ALTER TABLE evaluations ADD COLUMN owner_epoch bigint NOT NULL DEFAULT 0;
CREATE INDEX sessions_by_owner_replica ON sessions (owner_replica) WHERE owner_replica IS NOT NULL;
CREATE INDEX evaluations_by_owner_replica ON evaluations (owner_replica) WHERE owner_replica IS NOT NULL;
