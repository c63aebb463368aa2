package io.keisei.resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A pool with what it has, what its granted allocations use and what is free.
 *
 * @param capacity       CPU millicores, memory MiB and GPUs in all
 * @param used           what granted allocations hold (allocations being preempted included)
 * @param free           capacity minus used (never below zero: a pool may shrink under its grants)
 * @param gpuIndices     the pool's GPUs, 0..capacity.gpus-1
 * @param freeGpuIndices the GPUs no granted allocation holds
 * @param granted        how many allocations are granted
 * @param queued         how many wait
 */
public record PoolUsage(String name, String kind, Instant discoveredAt, Resources capacity, Resources used, Resources free,
                        List<Integer> gpuIndices, List<Integer> freeGpuIndices, int granted, int queued) {

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
        return new PoolUsage(pool.name(), pool.kind(), pool.discoveredAt(), capacity, used,
                new Resources(left.cpuMillis(), left.memoryMb(), free.size()), all, List.copyOf(free), granted, queued);
    }
}
