-- Under Kueue admission, the LocalQueue a request was handed to (its trainer Job waits there, suspended, until Kueue
-- admits it); null when resource-service admits by itself and while a request waits for its owner's quota.
ALTER TABLE allocations ADD COLUMN kueue_queue text;

-- A grant names its GPUs, one index per GPU, except Kueue's: Kueue and the device plugin place those, so it names none.
ALTER TABLE allocations DROP CONSTRAINT allocations_check;
ALTER TABLE allocations ADD CONSTRAINT allocations_granted_names_its_gpus CHECK (state <> 'granted' OR (granted_at IS NOT NULL
    AND (cardinality(gpu_indices) = gpus OR (kueue_queue IS NOT NULL AND cardinality(gpu_indices) = 0))));
