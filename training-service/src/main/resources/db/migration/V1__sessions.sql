-- Training sessions. The state machine lives in the service; the table keeps every field a
-- restart needs to reconcile. The effective config is stored whole (JSONB).
CREATE TABLE sessions (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    owner       text        NOT NULL,
    priority    integer     NOT NULL DEFAULT 0,
    state       text        NOT NULL,
    config      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    current_step bigint     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    version     bigint      NOT NULL DEFAULT 0
);
CREATE INDEX sessions_by_owner ON sessions (owner, created_at DESC);
CREATE INDEX sessions_by_state ON sessions (state);
