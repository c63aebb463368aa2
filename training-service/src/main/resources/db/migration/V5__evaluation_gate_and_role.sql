-- An evaluation filed by automatic gating names the challenger it gates; the role it was asked for under is kept so
-- that a preempted evaluation asks for its allocation again under the same per-role quota.
ALTER TABLE evaluations ADD COLUMN gate text;
ALTER TABLE evaluations ADD COLUMN owner_role text NOT NULL DEFAULT 'trainer';
CREATE INDEX evaluations_gate ON evaluations (gate) WHERE gate IS NOT NULL;
