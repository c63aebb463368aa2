package io.keisei.resource;

import io.keisei.contracts.api.PoolUsage;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A pool's use as the API shows it ({@link PoolUsage}): its capacity, what its live allocations hold and what is free. */
public final class PoolUsages {

    private PoolUsages() {
    }

    public static PoolUsage of(Pool pool, List<AllocationRecord> live) {
        Resources capacity = QueuePlanner.capacity(pool);
        Resources used = Resources.NONE;
        TreeSet<Integer> free = new TreeSet<>();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pool.gpuCount(); i++) {
            free.add(i);
            all.add(i);
        }
        int granted = 0;
        int queued = 0;
        for (AllocationRecord a : live) {
            if (a.granted()) {
                granted++;
                used = used.plus(a.need());
                free.removeAll(a.gpuIndices());
            } else if (a.live()) {
                queued++;
            }
        }
        Resources left = capacity.minusFloorZero(used);
        return new PoolUsage(pool.name(), pool.kind(), pool.discoveredAt(), capacity.amount(), used.amount(),
                new Resources(left.cpuMillis(), left.memoryMb(), free.size()).amount(), all, List.copyOf(free), granted,
                queued);
    }
}
