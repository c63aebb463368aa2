package io.keisei.resource;

import io.keisei.contracts.allocation.AllocationState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

    /**
     * Plans one pass.
     *
     * @param pool   the pool with its capacity
     * @param live   the pool's queued and granted allocations (others are ignored)
     * @param quotas concurrent-session limits and what owners hold in other pools
     */
    public QueuePlan plan(Pool pool, List<AllocationRecord> live, Instant now, SessionQuotas quotas) {
        Resources capacity = capacity(pool);
        TreeSet<Integer> freeGpus = new TreeSet<>();
        for (int i = 0; i < pool.gpuCount(); i++) {
            freeGpus.add(i);
        }
        long usedCpu = 0;
        long usedMemory = 0;
        int preempting = 0;
        Map<String, Integer> running = new HashMap<>();
        List<AllocationRecord> queued = new ArrayList<>();
        for (AllocationRecord a : live) {
            if (a.state() == AllocationState.GRANTED) {
                usedCpu += a.need().cpuMillis();
                usedMemory += a.need().memoryMb();
                freeGpus.removeAll(a.gpuIndices());
                running.merge(a.owner(), 1, Integer::sum);
                preempting += a.preempting() ? 1 : 0;
            } else if (a.state() == AllocationState.QUEUED) {
                queued.add(a);
            }
        }
        queued.sort(order(now));

        long freeCpu = Math.max(0, capacity.cpuMillis() - usedCpu);
        long freeMemory = Math.max(0, capacity.memoryMb() - usedMemory);
        Resources held = Resources.NONE;
        List<QueuePlan.Grant> grants = new ArrayList<>();
        List<Blocked> blocked = new ArrayList<>();
        for (AllocationRecord q : queued) {
            Resources need = q.need();
            Resources free = new Resources(freeCpu, freeMemory, freeGpus.size());
            if (!need.fitsIn(capacity)) {
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
            Resources available = free.minusFloorZero(held);
            if (need.fitsIn(available)) {
                grants.add(new QueuePlan.Grant(q, take(freeGpus, need.gpus())));
                freeCpu -= need.cpuMillis();
                freeMemory -= need.memoryMb();
                running.merge(q.owner(), 1, Integer::sum);
            } else {
                held = held.plus(need.min(available));
                blocked.add(new Blocked(q, QueuePlan.Cause.RESOURCES, null));
            }
        }

        Resources free = new Resources(freeCpu, freeMemory, freeGpus.size());
        List<QueuePlan.Waiting> waiting = new ArrayList<>(blocked.size());
        boolean headForResources = true;
        for (int i = 0; i < blocked.size(); i++) {
            Blocked b = blocked.get(i);
            String reason = b.quotaReason;
            if (reason == null) {
                int waitsFor = b.cause == QueuePlan.Cause.RESOURCES && headForResources ? preempting : 0;
                reason = reason(b.allocation, pool.name(), capacity, free, i, waitsFor);
            }
            headForResources &= b.cause != QueuePlan.Cause.RESOURCES;
            waiting.add(new QueuePlan.Waiting(b.allocation, i + 1, reason, b.cause));
        }
        return new QueuePlan(capacity, free, grants, waiting);
    }

    private record Blocked(AllocationRecord allocation, QueuePlan.Cause cause, String quotaReason) {
    }

    private static List<Integer> take(TreeSet<Integer> freeGpus, int n) {
        List<Integer> out = new ArrayList<>(n);
        Iterator<Integer> it = freeGpus.iterator();
        while (out.size() < n && it.hasNext()) {
            out.add(it.next());
            it.remove();
        }
        return out;
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
