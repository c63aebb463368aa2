-- API tokens. Only a SHA-256 of each token is stored: a database leak reveals no usable token.
CREATE TABLE api_tokens (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    owner       text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('admin', 'trainer', 'researcher', 'viewer')),
    token_hash  text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
