-- Below zero: background jobs (evaluations, -10 by default) that wait behind every session unless asked otherwise.
ALTER TABLE allocations DROP CONSTRAINT allocations_priority_check;
ALTER TABLE allocations ADD CONSTRAINT allocations_priority_check CHECK (priority BETWEEN -1000 AND 1000);
