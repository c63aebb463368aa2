package io.keisei.resource;

import io.keisei.contracts.api.PoolUsage;

import io.keisei.contracts.api.NodeUsage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.TreeSet;

/** A pool's use as the API shows it ({@link PoolUsage}): its capacity, what its live allocations hold and what is free. */
public final class PoolUsages {

    private PoolUsages() {
    }

    /**
     * A cluster pool: its eligible nodes' capacity, what our grants and other people's pods use, what is free, and
     * every node (excluded ones with the reason). GPU indices are per node there, so the pool lists none.
     */
    public static PoolUsage of(Pool pool, List<AllocationRecord> live, List<ClusterNode> nodes) {
        if (nodes.isEmpty()) {
            return of(pool, live);
        }
        Map<String, Resources> ours = new HashMap<>();
        Map<String, Integer> grantedOn = new HashMap<>();
        int granted = 0;
        int queued = 0;
        Resources used = Resources.NONE;
        for (AllocationRecord a : live) {
            if (a.granted()) {
                granted++;
                used = used.plus(a.need());
                if (a.node() != null) {
                    ours.merge(a.node(), a.need(), Resources::plus);
                    grantedOn.merge(a.node(), 1, Integer::sum);
                }
            } else if (a.live()) {
                queued++;
            }
        }
        Resources capacity = Resources.NONE;
        Resources free = Resources.NONE;
        Resources others = Resources.NONE;
        List<NodeUsage> rows = new ArrayList<>();
        for (ClusterNode n : nodes) {
            Resources mine = ours.getOrDefault(n.name(), Resources.NONE);
            Resources left = n.allocatable().minusFloorZero(n.usedByOthers()).minusFloorZero(mine);
            if (n.eligible()) {
                capacity = capacity.plus(n.allocatable());
                free = free.plus(left);
                others = others.plus(n.usedByOthers());
            }
            rows.add(new NodeUsage(n.name(), n.gpuProduct(), n.allocatable().amount(), n.usedByOthers().amount(),
                    mine.amount(), left.amount(), grantedOn.getOrDefault(n.name(), 0), n.excluded()));
        }
        return new PoolUsage(pool.name(), pool.kind(), pool.discoveredAt(), capacity.amount(), used.plus(others).amount(),
                free.amount(), List.of(), List.of(), granted, queued, rows);
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
