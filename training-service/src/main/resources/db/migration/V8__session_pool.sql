-- The resource pool a session's trainer runs in (resource-service's pool name, in cluster mode the keisei.io/pool node
-- label's value); null: resource-service's default pool, as every session before this column had.
ALTER TABLE sessions ADD COLUMN pool text;
