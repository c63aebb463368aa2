-- Automatic gating (docs/evaluation-league.md, "Automatic gating"): each session's gating policy and its best model,
-- and each checkpoint's gate against the best. The score of a gate is kept here as its games were summed over the
-- gate's evaluations (training.evaluations.gate names the challenger), so the registry lists it without a join.
ALTER TABLE sessions ADD COLUMN gating jsonb;                  -- GatingPolicy with defaults; null: off
ALTER TABLE sessions ADD COLUMN best_checkpoint_id text;       -- the best as gating decided

ALTER TABLE checkpoints ADD COLUMN gate text NOT NULL DEFAULT 'none';   -- none, pending, running, promoted, rejected, skipped, failed
ALTER TABLE checkpoints ADD COLUMN gate_against text;          -- the best it is gated against
ALTER TABLE checkpoints ADD COLUMN gate_wins integer NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN gate_draws integer NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN gate_losses integer NOT NULL DEFAULT 0;
ALTER TABLE checkpoints ADD COLUMN gate_llr double precision;  -- sprt only
ALTER TABLE checkpoints ADD COLUMN gate_evaluation_id text;    -- the gate evaluation in progress, or the last one
ALTER TABLE checkpoints ADD COLUMN gate_reason text;
ALTER TABLE checkpoints ADD COLUMN gate_decided_at timestamptz;
-- A session's checkpoints that wait for, or are in, a gate.
CREATE INDEX checkpoints_open_gates ON checkpoints (session_id, gate) WHERE gate IN ('pending', 'running');
