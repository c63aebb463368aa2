-- One row per (session, metric, step): the natural key of a metric point, which makes
-- re-delivered stream entries idempotent. A later attempt (resume) supersedes earlier values.
CREATE TABLE points (
    session_id  text             NOT NULL,
    metric      text             NOT NULL,
    step        bigint           NOT NULL,
    value       double precision NOT NULL,
    attempt     integer          NOT NULL,
    wall_time   timestamptz      NOT NULL,
    PRIMARY KEY (session_id, metric, step)
);

-- Lifecycle events as seen on keisei:events, keyed by stream id so redelivery writes nothing twice.
-- They give charts their attempt markers.
CREATE TABLE session_events (
    stream_id   text        PRIMARY KEY,
    session_id  text        NOT NULL,
    type        text        NOT NULL,
    attempt     integer,
    event_time  timestamptz NOT NULL,
    state       text,
    reason      text
);
CREATE INDEX session_events_by_session ON session_events (session_id, event_time);
