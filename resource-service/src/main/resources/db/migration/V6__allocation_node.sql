-- In a cluster pool every grant is placed on one node (its trainer's Job is pinned there); null on the local host.
ALTER TABLE allocations ADD COLUMN node text;
