-- Preemption: a granted allocation chosen as a victim keeps its resources until its session has
-- paused (checkpointed and exited); preempted_at marks it so that it is not chosen twice and so
-- that what it holds counts as "on its way back" for the request it was preempted for.
ALTER TABLE allocations ADD COLUMN preempted_at timestamptz;
ALTER TABLE allocations ADD COLUMN preempted_by uuid;

-- Quotas: GPU-hours of an owner over the last 24 hours read the owner's GPU grants.
CREATE INDEX allocations_gpu_grants_by_owner ON allocations (owner, granted_at) WHERE gpus > 0 AND granted_at IS NOT NULL;

-- Quotas: concurrent sessions of an owner are its granted allocations in every pool.
CREATE INDEX allocations_granted_by_owner ON allocations (owner) WHERE state = 'granted';
