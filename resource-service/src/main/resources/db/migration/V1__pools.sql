-- Resource pools and their capacity. The local host is the default pool; its row is refreshed
-- from discovery at start-up so capacity follows the machine (and its overrides).
CREATE TABLE pools (
    name         text        PRIMARY KEY,
    kind         text        NOT NULL,
    cpu_millis   bigint      NOT NULL CHECK (cpu_millis >= 0),
    memory_mb    bigint      NOT NULL CHECK (memory_mb >= 0),
    gpu_count    integer     NOT NULL CHECK (gpu_count >= 0),
    discovered_at timestamptz NOT NULL
);
