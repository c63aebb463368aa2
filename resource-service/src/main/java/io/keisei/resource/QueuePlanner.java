package io.keisei.resource;

import io.keisei.contracts.allocation.AllocationState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Decides, for one pool, which queued requests start now. Pure: it reads the pool and its live
 * allocations and returns a {@link QueuePlan}; the caller holds the pool lock and applies it.
 *
 * <h2>Order</h2>
 * Queued requests are served by <em>effective priority</em>, highest first, then by age (oldest
 * first), then by id: {@code effective = priority + waited / ageingStep}. Every waiting request
 * gains one priority point per {@code ageingStep}, so two queued requests never change their order
 * relative to each other (both age at the same rate), and a newcomer can overtake a request only
 * while that request has waited less than {@code (1000 - its priority) x ageingStep}. After that,
 * the set of requests ahead of it is fixed and finite: nothing starves.
 *
 * <h2>Strict order with conservative backfill</h2>
 * Requests are granted in that order while they fit. A request that does not fit <em>holds</em>
 * what is free for it, up to its need, in each dimension; requests behind it may only use what is
 * left after those holds. So a request behind a blocked one starts early only with resources the
 * blocked one would leave unused even if it started now (typically: a CPU-only job while the head
 * waits for a GPU). Backfill therefore never delays any request ahead. A queued request that is
 * larger than the whole pool (possible only if the pool shrank after it was queued) holds nothing.
 *
 * <h2>Concurrent-session quotas</h2>
 * A request whose owner already holds as many granted allocations (in all pools) as its role's
 * quota allows waits with a "quota: ..." reason. It holds nothing: it waits for its owner, not for
 * resources, so requests behind it may use what it would take.
 *
 * <h2>GPUs</h2>
 * GPUs are whole devices with indices {@code 0..gpuCount-1}; a grant takes the lowest free indices.
 *
 * <h2>Preemption in flight</h2>
 * Granted allocations already chosen as preemption victims still count as used; the first request
 * that waits for resources is told how many of them it waits for.
 */
public final class QueuePlanner {

    private final long ageingStepMillis;

    /** @param ageingStep waiting time worth one priority point; zero turns ageing off */
    public QueuePlanner(Duration ageingStep) {
        this.ageingStepMillis = ageingStep.toMillis();
    }

    public double effectivePriority(AllocationRecord a, Instant now) {
        if (ageingStepMillis <= 0) {
            return a.priority();
        }
        long waited = Math.max(0, now.toEpochMilli() - a.createdAt().toEpochMilli());
        return a.priority() + (double) waited / ageingStepMillis;
    }

    /** What the pool has in all. */
    public static Resources capacity(Pool pool) {
        return new Resources(pool.cpuMillis(), pool.memoryMb(), pool.gpuCount());
    }

    /** Queue order at {@code now}: effective priority desc, then created_at, then id. */
    public Comparator<AllocationRecord> order(Instant now) {
        return Comparator.comparingDouble((AllocationRecord a) -> -effectivePriority(a, now))
                .thenComparing(AllocationRecord::createdAt)
                .thenComparing(AllocationRecord::id);
    }

    /** Plans one pass without quotas. */
    public QueuePlan plan(Pool pool, List<AllocationRecord> live, Instant now) {
        return plan(pool, live, now, SessionQuotas.NONE);
    }

    /** Plans one pass over the local host's pool: one bin with the pool's capacity. */
    public QueuePlan plan(Pool pool, List<AllocationRecord> live, Instant now, SessionQuotas quotas) {
        return plan(pool, List.of(), live, now, quotas);
    }

    /**
     * Plans one pass.
     *
     * @param pool   the pool with its capacity
     * @param nodes  the pool's nodes in a cluster (a grant must fit on one of the eligible ones); empty for the
     *               local host, where the pool is one bin
     * @param live   the pool's queued and granted allocations (others are ignored)
     * @param quotas concurrent-session limits and what owners hold in other pools
     */
    public QueuePlan plan(Pool pool, List<ClusterNode> nodes, List<AllocationRecord> live, Instant now,
                          SessionQuotas quotas) {
        Bins bins = nodes.isEmpty() ? Bins.local(pool) : Bins.cluster(pool, nodes);
        int preempting = 0;
        Map<String, Integer> running = new HashMap<>();
        List<AllocationRecord> queued = new ArrayList<>();
        for (AllocationRecord a : live) {
            if (a.state() == AllocationState.GRANTED) {
                bins.use(a);
                running.merge(a.owner(), 1, Integer::sum);
                preempting += a.preempting() ? 1 : 0;
            } else if (a.state() == AllocationState.QUEUED) {
                queued.add(a);
            }
        }
        queued.sort(order(now));

        List<QueuePlan.Grant> grants = new ArrayList<>();
        List<Blocked> blocked = new ArrayList<>();
        for (AllocationRecord q : queued) {
            Resources need = q.need();
            if (!bins.couldEverFit(need)) {
                blocked.add(new Blocked(q, QueuePlan.Cause.CAPACITY, null));
                continue;
            }
            OptionalInt limit = quotas.limit(q.role());
            int inUse = running.getOrDefault(q.owner(), 0) + quotas.grantedElsewhere(q.owner());
            if (limit.isPresent() && inUse >= limit.getAsInt()) {
                blocked.add(new Blocked(q, QueuePlan.Cause.QUOTA,
                        "quota: " + inUse + " of " + limit.getAsInt() + " concurrent sessions in use"));
                continue;
            }
            Optional<Bin> fit = bins.bestFit(need);
            if (fit.isPresent()) {
                grants.add(new QueuePlan.Grant(q, fit.get().take(need), fit.get().node));
                running.merge(q.owner(), 1, Integer::sum);
            } else {
                bins.hold(need);
                blocked.add(new Blocked(q, QueuePlan.Cause.RESOURCES, null));
            }
        }

        List<QueuePlan.Waiting> waiting = new ArrayList<>(blocked.size());
        boolean headForResources = true;
        for (int i = 0; i < blocked.size(); i++) {
            Blocked b = blocked.get(i);
            String reason = b.quotaReason;
            if (reason == null) {
                int waitsFor = b.cause == QueuePlan.Cause.RESOURCES && headForResources ? preempting : 0;
                reason = bins.cluster ? clusterReason(b.allocation, pool.name(), bins, i, waitsFor)
                        : reason(b.allocation, pool.name(), bins.capacity(), bins.free(), i, waitsFor);
            }
            headForResources &= b.cause != QueuePlan.Cause.RESOURCES;
            waiting.add(new QueuePlan.Waiting(b.allocation, i + 1, reason, b.cause));
        }
        return new QueuePlan(bins.capacity(), bins.free(), grants, waiting);
    }

    private record Blocked(AllocationRecord allocation, QueuePlan.Cause cause, String quotaReason) {
    }

    /**
     * Where grants can go: the local host as one bin, or each eligible node of a cluster pool. A request must fit
     * in one bin. A blocked request <em>holds</em>, on the one bin it will most likely start on, what is free there
     * up to its need (conservative backfill, as on the local host): requests behind it may use other bins freely,
     * and that bin only beyond the hold.
     */
    private static final class Bins {
        final boolean cluster;
        final List<Bin> list;

        private Bins(boolean cluster, List<Bin> list) {
            this.cluster = cluster;
            this.list = list;
        }

        static Bins local(Pool pool) {
            return new Bins(false, List.of(new Bin(null, QueuePlanner.capacity(pool), Resources.NONE)));
        }

        static Bins cluster(Pool pool, List<ClusterNode> nodes) {
            List<Bin> list = new ArrayList<>();
            for (ClusterNode n : nodes) {
                if (n.eligible() && pool.name().equals(n.pool())) {
                    list.add(new Bin(n.name(), n.allocatable(), n.usedByOthers()));
                }
            }
            list.sort(Comparator.comparing(b -> b.node));
            return new Bins(true, list);
        }

        void use(AllocationRecord a) {
            for (Bin b : list) {
                if (!cluster || b.node.equals(a.node())) {
                    b.use(a);
                    return;
                }
            }
            // A grant on a node that left the pool (drained, deleted): it holds nothing the planner can hand out.
        }

        boolean couldEverFit(Resources need) {
            for (Bin b : list) {
                if (need.fitsIn(b.total)) {
                    return true;
                }
            }
            return false;
        }

        /** The bin that fits with the least left over: GPUs first (keep large blocks whole), then CPU, then name. */
        Optional<Bin> bestFit(Resources need) {
            Bin best = null;
            for (Bin b : list) {
                if (!need.fitsIn(b.available())) {
                    continue;
                }
                if (best == null || b.leftAfter(need).compareTo(best.leftAfter(need)) < 0) {
                    best = b;
                }
            }
            return Optional.ofNullable(best);
        }

        /** Holds, for a blocked request, what is free up to its need on the bin where it fits best once freed. */
        void hold(Resources need) {
            Bin target = null;
            for (Bin b : list) {
                if (!need.fitsIn(b.total)) {
                    continue;
                }
                if (target == null || b.closeness(need) > target.closeness(need)) {
                    target = b;
                }
            }
            if (target != null) {
                target.held = target.held.plus(need.min(target.available()));
            }
        }

        Resources capacity() {
            Resources r = Resources.NONE;
            for (Bin b : list) {
                r = r.plus(b.total);
            }
            return r;
        }

        Resources free() {
            Resources r = Resources.NONE;
            for (Bin b : list) {
                r = r.plus(b.free());
            }
            return r;
        }
    }

    /** One place a grant fits in whole: the local host, or a node. */
    private static final class Bin {
        final String node;
        /** What the bin has in all: the host's capacity, or the node's allocatable. */
        final Resources total;
        /** What it can give us now: {@link #total} less other people's pods. */
        final Resources capacity;
        long freeCpu;
        long freeMemory;
        final TreeSet<Integer> freeGpus = new TreeSet<>();
        Resources held = Resources.NONE;

        Bin(String node, Resources total, Resources usedByOthers) {
            this.node = node;
            this.total = total;
            this.capacity = total.minusFloorZero(usedByOthers);
            this.freeCpu = capacity.cpuMillis();
            this.freeMemory = capacity.memoryMb();
            // Other pods' GPUs are a count: they take the highest indices, so ours stay 0..n-1 and stable.
            for (int i = 0; i < capacity.gpus(); i++) {
                freeGpus.add(i);
            }
        }

        void use(AllocationRecord a) {
            freeCpu -= a.need().cpuMillis();
            freeMemory -= a.need().memoryMb();
            freeGpus.removeAll(a.gpuIndices());
        }

        Resources free() {
            return new Resources(Math.max(0, freeCpu), Math.max(0, freeMemory), freeGpus.size());
        }

        Resources available() {
            return free().minusFloorZero(held);
        }

        List<Integer> take(Resources need) {
            freeCpu -= need.cpuMillis();
            freeMemory -= need.memoryMb();
            return QueuePlanner.take(freeGpus, need.gpus());
        }

        Leftover leftAfter(Resources need) {
            Resources a = available();
            return new Leftover(a.gpus() - need.gpus(), a.cpuMillis() - need.cpuMillis(), node == null ? "" : node);
        }

        /** How much of {@code need} is free here now, as a fraction summed over the dimensions it needs. */
        double closeness(Resources need) {
            return closeness(need, available());
        }

        /** How much of {@code need} the bin has in all. */
        double closenessOfCapacity(Resources need) {
            return closeness(need, total);
        }

        private static double closeness(Resources need, Resources a) {
            double c = 0;
            c += need.gpus() == 0 ? 1 : Math.min(1.0, (double) a.gpus() / need.gpus());
            c += need.cpuMillis() == 0 ? 1 : Math.min(1.0, (double) a.cpuMillis() / need.cpuMillis());
            c += need.memoryMb() == 0 ? 1 : Math.min(1.0, (double) a.memoryMb() / need.memoryMb());
            return c;
        }
    }

    private record Leftover(int gpus, long cpuMillis, String node) implements Comparable<Leftover> {
        @Override
        public int compareTo(Leftover o) {
            return Comparator.comparingInt(Leftover::gpus).thenComparingLong(Leftover::cpuMillis)
                    .thenComparing(Leftover::node).compare(this, o);
        }
    }

    static List<Integer> take(TreeSet<Integer> freeGpus, int n) {
        List<Integer> out = new ArrayList<>(n);
        Iterator<Integer> it = freeGpus.iterator();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    /**
     * Why a request waits in a cluster pool, in terms of single nodes: "needs 4 GPUs on one node; largest free
     * block: 2 (gpu-node-3, pool h100)".
     */
    private static String clusterReason(AllocationRecord q, String pool, Bins bins, int ahead, int preempting) {
        Resources need = q.need();
        List<String> parts = new ArrayList<>();
        if (bins.list.isEmpty()) {
            parts.add("pool '" + pool + "' has no node that takes trainers");
        } else if (!bins.couldEverFit(need)) {
            Bin largest = largest(bins, need);
            parts.add("needs " + Resources.amountText(need) + " on one node, but the largest node of pool '" + pool
                    + "' has " + Resources.amountText(largest.total) + " (" + largest.node + ")");
        } else {
            // What is free on each node, holds aside: a request is not told it waits for its own hold.
            if (need.gpus() > 0) {
                Bin g = Collections.max(bins.list, Comparator.comparingInt((Bin b) -> b.free().gpus())
                        .thenComparing(b -> b.node, Comparator.reverseOrder()));
                if (g.free().gpus() < need.gpus()) {
                    parts.add("needs " + Resources.gpus(need.gpus()) + " on one node; largest free block: "
                            + g.free().gpus() + " (" + g.node + ", pool " + pool + ")");
                }
            }
            Bin c = Collections.max(bins.list, Comparator.comparingLong((Bin b) -> b.free().cpuMillis())
                    .thenComparing(b -> b.node, Comparator.reverseOrder()));
            if (c.free().cpuMillis() < need.cpuMillis()) {
                parts.add("needs " + Resources.cpu(need.cpuMillis()) + " on one node; most free: "
                        + Resources.cores(c.free().cpuMillis()) + " CPU (" + c.node + ")");
            }
            Bin m = Collections.max(bins.list, Comparator.comparingLong((Bin b) -> b.free().memoryMb())
                    .thenComparing(b -> b.node, Comparator.reverseOrder()));
            if (m.free().memoryMb() < need.memoryMb()) {
                parts.add("needs " + need.memoryMb() + " MiB memory on one node; most free: "
                        + m.free().memoryMb() + " MiB (" + m.node + ")");
            }
            if (parts.isEmpty()) {
                boolean fitsSomewhere = bins.list.stream().anyMatch(b -> need.fitsIn(b.free()));
                parts.add(fitsSomewhere ? "what is free on the nodes that fit is held for the requests ahead"
                        : "no node has " + Resources.amountText(need) + " free at once");
            }
        }
        if (preempting > 0) {
            parts.add("waiting for " + preempting + " preempted allocation" + (preempting == 1 ? "" : "s")
                    + " to be released");
        }
        parts.add(ahead == 0 ? "first in queue" : ahead + (ahead == 1 ? " request ahead" : " requests ahead"));
        return String.join("; ", parts);
    }

    /** The bin closest to holding {@code need} when empty. */
    private static Bin largest(Bins bins, Resources need) {
        Bin best = bins.list.get(0);
        for (Bin b : bins.list) {
            if (b.closenessOfCapacity(need) > best.closenessOfCapacity(need)) {
                best = b;
            }
        }
        return best;
    }

    private static String reason(AllocationRecord q, String pool, Resources capacity, Resources free, int ahead,
                                 int preempting) {
        List<String> parts = new ArrayList<>(q.need().excesses(pool, capacity));
        if (parts.isEmpty()) {
            parts.addAll(q.need().shortfalls(free, capacity));
        }
        if (parts.isEmpty()) {
            parts.add("free resources are held for the requests ahead");
        }
        if (preempting > 0) {
            parts.add("waiting for " + preempting + " preempted allocation" + (preempting == 1 ? "" : "s")
                    + " to be released");
        }
        parts.add(ahead == 0 ? "first in queue" : ahead + (ahead == 1 ? " request ahead" : " requests ahead"));
        return String.join("; ", parts);
    }
}
