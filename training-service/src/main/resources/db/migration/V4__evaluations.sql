-- Evaluations: matches between two players (a checkpoint, the random player or the baseline engine), run as jobs
-- like training attempts (admitted by resource-service, launched, supervised), and every game they played.
CREATE TABLE evaluations (
    id            text        PRIMARY KEY,
    session_id    text,                    -- the session it rates checkpoints of; null when it spans sessions
    owner         text        NOT NULL,
    player_a      text        NOT NULL,    -- a model id, "random" or "baseline:<depth>"
    player_b      text        NOT NULL,
    games         integer     NOT NULL,
    seed          bigint      NOT NULL,
    priority      integer     NOT NULL,
    state         text        NOT NULL,    -- queued, running, completed, failed, cancelled
    state_reason  text,
    allocation_id text,
    handle        text,                    -- the match process while it runs
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    a_wins        integer     NOT NULL DEFAULT 0,
    b_wins        integer     NOT NULL DEFAULT 0,
    draws         integer     NOT NULL DEFAULT 0
);
CREATE INDEX evaluations_session ON evaluations (session_id, created_at);
CREATE INDEX evaluations_allocation ON evaluations (allocation_id);

CREATE TABLE evaluation_games (
    evaluation_id text    NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    idx           integer NOT NULL,
    black         text    NOT NULL,        -- the player id that had black
    white         text    NOT NULL,
    result        text    NOT NULL,        -- black_win, white_win, draw
    reason        text    NOT NULL,        -- checkmate, resignation, sennichite, impasse, max_moves, ...
    plies         integer NOT NULL,
    start_sfen    text    NOT NULL,
    moves         text    NOT NULL,        -- USI moves separated by spaces
    PRIMARY KEY (evaluation_id, idx)
);
