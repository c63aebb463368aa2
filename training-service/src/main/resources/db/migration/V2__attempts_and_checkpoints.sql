ALTER TABLE sessions ADD COLUMN template text;
ALTER TABLE sessions ADD COLUMN trainer text NOT NULL DEFAULT 'builtin';
ALTER TABLE sessions ADD COLUMN attempt_count integer NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN latest_checkpoint_id text;
ALTER TABLE sessions ADD COLUMN resume_from_checkpoint_id text;
ALTER TABLE sessions ADD COLUMN state_reason text;
ALTER TABLE sessions ADD COLUMN owner_role text NOT NULL DEFAULT 'trainer';

-- One row per start or resume. The handle says how to find the trainer again after a restart
-- (a local pid today, a Kubernetes Job name later).
CREATE TABLE attempts (
    session_id      text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    attempt         integer     NOT NULL,
    allocation_id   text,
    gpu_indices     text,
    launcher        text,
    handle          text,
    resume_checkpoint_id text,
    control_cursor  text,
    exit_code       integer,
    reason          text,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    ended_at        timestamptz,
    PRIMARY KEY (session_id, attempt)
);

-- The model registry, filled from checkpoint.saved events. The path comes from the trainer and
-- is never accepted from API users.
CREATE TABLE checkpoints (
    id          text        PRIMARY KEY,
    session_id  text        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    step        bigint      NOT NULL,
    path        text        NOT NULL UNIQUE,
    size_bytes  bigint      NOT NULL,
    sha256      text        NOT NULL,
    architecture jsonb      NOT NULL DEFAULT '{}'::jsonb,
    metrics     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL
);
CREATE INDEX checkpoints_by_session ON checkpoints (session_id, step DESC, created_at DESC);
