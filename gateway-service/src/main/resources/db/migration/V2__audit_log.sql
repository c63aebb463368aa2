-- Who changed what, when, and how it ended: one row per mutating API call.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    token_id    text,
    actor       text,
    role        text,
    method      text        NOT NULL,
    path        text        NOT NULL,
    status      int         NOT NULL,
    millis      int         NOT NULL,
    detail      text
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at DESC);

ALTER TABLE api_tokens ADD COLUMN created_by text;
