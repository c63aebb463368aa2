-- Transactional outbox (service-common io.keisei.common.outbox): session lifecycle events are inserted in the
-- transaction that moves the session (under its row lock) and relayed to keisei:events (XADD) in id order
-- afterwards, so a crash between the commit and the XADD loses no event. Relayed rows are deleted.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    stream     text        NOT NULL,
    max_len    bigint      NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
