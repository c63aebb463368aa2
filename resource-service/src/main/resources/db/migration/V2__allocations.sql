-- Allocations: what a session asked for, and what it holds. queued -> granted -> released, or
-- queued -> released (cancelled). Every change of a pool's allocations happens while its row in
-- pools is locked (SELECT ... FOR UPDATE), which is what keeps grants within capacity and GPU
-- indices unique; the partial unique index below keeps one live allocation per session.
CREATE TABLE allocations (
    id               uuid        PRIMARY KEY,
    session          text        NOT NULL CHECK (length(session) > 0),
    owner            text        NOT NULL,
    role             text        NOT NULL CHECK (role IN ('admin', 'trainer', 'researcher', 'viewer')),
    priority         integer     NOT NULL CHECK (priority BETWEEN 0 AND 1000),
    pool             text        NOT NULL REFERENCES pools (name),
    state            text        NOT NULL CHECK (state IN ('queued', 'granted', 'released')),
    cpu_millis       bigint      NOT NULL CHECK (cpu_millis > 0),
    memory_mb        bigint      NOT NULL CHECK (memory_mb > 0),
    gpus             integer     NOT NULL CHECK (gpus >= 0),
    -- The GPUs granted (indices 0..gpu_count-1 of the pool); kept after release as history.
    gpu_indices      integer[]   NOT NULL DEFAULT '{}',
    -- Why it waited (as of queueing; the live reason is computed on read), or why it was released.
    reason           text,
    created_at       timestamptz NOT NULL,
    granted_at       timestamptz,
    released_at      timestamptz,
    -- When a granted allocation lapses unless renewed; NULL = no lease (leases are not used yet).
    lease_expires_at timestamptz,
    CHECK (state <> 'granted' OR (granted_at IS NOT NULL AND cardinality(gpu_indices) = gpus)),
    CHECK (state <> 'released' OR released_at IS NOT NULL)
);

-- At most one live (queued or granted) allocation per session.
CREATE UNIQUE INDEX allocations_one_live_per_session ON allocations (session) WHERE state IN ('queued', 'granted');

-- What admission reads under the pool lock: a pool's live allocations.
CREATE INDEX allocations_live_by_pool ON allocations (pool, state) WHERE state IN ('queued', 'granted');

-- History of a session, newest first.
CREATE INDEX allocations_by_session ON allocations (session, created_at DESC);

-- History of released allocations, newest first.
CREATE INDEX allocations_released ON allocations (released_at DESC) WHERE state = 'released';
