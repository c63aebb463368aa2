-- Where a call came from, and how many identical refusals one row stands for: refusals of callers without a
-- valid token are counted per client address, method, path, status and minute into one row, so a flood writes
-- a few rows, not one per request.
ALTER TABLE audit_log ADD COLUMN client_address text;
ALTER TABLE audit_log ADD COLUMN count int NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN refusal_minute timestamptz;
CREATE UNIQUE INDEX audit_log_refusals ON audit_log (client_address, method, md5(path), status, refusal_minute)
    WHERE refusal_minute IS NOT NULL;
