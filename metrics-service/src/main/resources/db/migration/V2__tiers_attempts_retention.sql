-- Pre-aggregated tiers: one row per (session, metric, tier k, bucket of 2^k steps). Maintained in
-- the same transaction as the points (io.keisei.metrics.persistence.PointUpsert / TierRecompute).
-- Which k exist is configuration (keisei.metrics.tiers.levels); the table holds any k.
CREATE TABLE tiers (
    session_id   text             NOT NULL,
    metric       text             NOT NULL,
    tier         smallint         NOT NULL,  -- k: the bucket covers [bucket_start, bucket_start + 2^k - 1]
    bucket_start bigint           NOT NULL,  -- a multiple of 2^k
    min_value    double precision NOT NULL,
    max_value    double precision NOT NULL,
    last_value   double precision NOT NULL,  -- the value at last_step
    last_step    bigint           NOT NULL,  -- the highest step in the bucket
    sum_value    double precision NOT NULL,
    point_count  bigint           NOT NULL,
    PRIMARY KEY (session_id, metric, tier, bucket_start)
);

-- Attempt boundaries (a resume starts a new attempt): chart markers, and the rule that supersedes
-- points of earlier attempts at steps >= the first step of a later attempt.
CREATE TABLE attempts (
    session_id text        NOT NULL,
    attempt    integer     NOT NULL,
    first_step bigint      NOT NULL,
    last_step  bigint,               -- highest step still stored for this attempt; null once fully superseded
    started_at timestamptz NOT NULL, -- wall time of its earliest point
    PRIMARY KEY (session_id, attempt)
);

-- Retention deletes raw points by age; tiers stay. Raw data of a series is complete only above
-- purged_through_step, so queries use tiers for ranges that reach below it.
CREATE TABLE raw_horizon (
    session_id          text        NOT NULL,
    metric              text        NOT NULL,
    purged_through_step bigint      NOT NULL,
    purged_at           timestamptz NOT NULL,
    PRIMARY KEY (session_id, metric)
);

-- Retention scans by wall time. Points arrive roughly in wall-time order, so a BRIN index finds the
-- old ones at almost no cost to ingest (a btree would add a second index entry per point).
CREATE INDEX points_wall_time_brin ON points USING brin (wall_time) WITH (autosummarize = on);

-- Attempts of points written before this migration. Tiers of such points are built at start-up by
-- io.keisei.metrics.persistence.TierRebuild (the tier levels are configuration, unknown here).
INSERT INTO attempts (session_id, attempt, first_step, last_step, started_at)
SELECT session_id, attempt, min(step), max(step), min(wall_time) FROM points GROUP BY session_id, attempt;
