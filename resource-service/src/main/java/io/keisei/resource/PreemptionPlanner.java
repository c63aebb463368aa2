package io.keisei.resource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses which running allocations to preempt so that the head of a pool's queue can start.
 * Pure: the caller holds the pool lock, marks the victims and announces them; the victims keep
 * their resources until their sessions have paused (checkpointed and exited).
 *
 * <h2>Who may preempt whom</h2>
 * Only the first request that waits for resources (the one the next release would serve) may
 * preempt, and only granted allocations whose base priority is at least {@code minPriorityGap}
 * below its base priority. Ageing gives no preemption power: it orders the queue, it does not
 * stop running work. Nothing is preempted while the victims already chosen, once released, would
 * be enough.
 *
 * <h2>Which victims</h2>
 * Deterministic and minimal: the fewest victims whose release makes the request fit; among sets of
 * that size, the first in lexicographic order of the candidates sorted by priority (lowest first),
 * then grant time (youngest first), then id. So a single low-priority victim is preferred to two,
 * and of two equal single candidates the one that has run for less time (and lost the least work)
 * goes. Should the exhaustive search grow too large (many candidates), a greedy choice in the
 * same order, pruned of victims it does not need, is used instead.
 */
public final class PreemptionPlanner {

    /** Bounds the exhaustive search; beyond it the greedy choice is used. */
    static final int MAX_COMBINATIONS = 50_000;

    /** The victims chosen for a request. */
    public record Preemption(AllocationRecord preemptor, List<AllocationRecord> victims) {
    }

    private final int minPriorityGap;

    public PreemptionPlanner(int minPriorityGap) {
        this.minPriorityGap = Math.max(1, minPriorityGap);
    }

    /** Victim order: lowest priority first, then youngest grant, then id. */
    static final Comparator<AllocationRecord> VICTIM_ORDER = Comparator.comparingInt(AllocationRecord::priority)
            .thenComparing(AllocationRecord::grantedAt, Comparator.reverseOrder())
            .thenComparing(AllocationRecord::id);

    /**
     * Chooses victims in a cluster pool: a grant must fit on one node, so the victims come from one node, the one
     * where the fewest (then the lowest-priority) victims make room; victims spread over nodes would free nothing
     * the request could use. Nothing is preempted while some node will have room once the victims already chosen are
     * released. With no nodes (the local host) the pool is one bin, as {@link #plan(QueuePlan, List)}.
     *
     * @param nodes the pool's nodes, eligible or not
     */
    public Optional<Preemption> plan(QueuePlan plan, List<AllocationRecord> live, List<ClusterNode> nodes) {
        if (nodes.isEmpty()) {
            return plan(plan, live);
        }
        Optional<QueuePlan.Waiting> head = plan.headWaitingForResources();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        AllocationRecord preemptor = head.get().allocation();
        Resources need = preemptor.need();
        Optional<Preemption> best = Optional.empty();
        for (ClusterNode node : nodes) {
            if (!node.eligible()) {
                continue;
            }
            Resources free = node.available();
            Resources returning = Resources.NONE;
            List<AllocationRecord> candidates = new ArrayList<>();
            for (AllocationRecord a : live) {
                if (!a.granted() || !node.name().equals(a.node())) {
                    continue;
                }
                free = free.minusFloorZero(a.need());
                if (a.preempting()) {
                    returning = returning.plus(a.need());
                } else if (a.priority() <= preemptor.priority() - minPriorityGap) {
                    candidates.add(a);
                }
            }
            Resources expected = free.plus(returning);
            if (need.fitsIn(expected)) {
                return Optional.empty(); // room is on its way here (or is here already): nobody else needs to go
            }
            Resources all = expected;
            for (AllocationRecord c : candidates) {
                all = all.plus(c.need());
            }
            if (candidates.isEmpty() || !need.fitsIn(all)) {
                continue;
            }
            candidates.sort(VICTIM_ORDER);
            List<AllocationRecord> victims = fewest(need, expected, candidates);
            if (best.isEmpty() || lessHarm(victims, best.get().victims())) {
                best = Optional.of(new Preemption(preemptor, victims));
            }
        }
        return best;
    }

    /** Fewer victims first; then the one whose most important victim matters less. Ties keep the earlier node. */
    private static boolean lessHarm(List<AllocationRecord> a, List<AllocationRecord> b) {
        if (a.size() != b.size()) {
            return a.size() < b.size();
        }
        return maxPriority(a) < maxPriority(b);
    }

    private static int maxPriority(List<AllocationRecord> victims) {
        return victims.stream().mapToInt(AllocationRecord::priority).max().orElse(0);
    }

    /**
     * @param plan the pass just made over the pool (its grants applied)
     * @param live the pool's live allocations after that pass
     */
    public Optional<Preemption> plan(QueuePlan plan, List<AllocationRecord> live) {
        Optional<QueuePlan.Waiting> head = plan.headWaitingForResources();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        AllocationRecord preemptor = head.get().allocation();
        Resources returning = Resources.NONE;
        List<AllocationRecord> candidates = new ArrayList<>();
        for (AllocationRecord a : live) {
            if (a.preempting()) {
                returning = returning.plus(a.need());
            } else if (a.granted() && a.priority() <= preemptor.priority() - minPriorityGap) {
                candidates.add(a);
            }
        }
        Resources expected = plan.free().plus(returning);
        if (preemptor.need().fitsIn(expected) || candidates.isEmpty()) {
            return Optional.empty();
        }
        candidates.sort(VICTIM_ORDER);
        Resources all = expected;
        for (AllocationRecord c : candidates) {
            all = all.plus(c.need());
        }
        if (!preemptor.need().fitsIn(all)) {
            return Optional.empty();
        }
        List<AllocationRecord> victims = fewest(preemptor.need(), expected, candidates);
        return Optional.of(new Preemption(preemptor, victims));
    }

    private static List<AllocationRecord> fewest(Resources need, Resources expected, List<AllocationRecord> candidates) {
        int n = candidates.size();
        long budget = MAX_COMBINATIONS;
        for (int k = 1; k <= n; k++) {
            int[] idx = new int[k];
            for (int i = 0; i < k; i++) {
                idx[i] = i;
            }
            while (true) {
                if (--budget < 0) {
                    return greedy(need, expected, candidates);
                }
                Resources freed = expected;
                for (int i : idx) {
                    freed = freed.plus(candidates.get(i).need());
                }
                if (need.fitsIn(freed)) {
                    List<AllocationRecord> out = new ArrayList<>(k);
                    for (int i : idx) {
                        out.add(candidates.get(i));
                    }
                    return out;
                }
                if (!next(idx, n)) {
                    break;
                }
            }
        }
        throw new IllegalStateException("all candidates together fit, so some set must");
    }

    /** Advances to the next k-combination of 0..n-1 in lexicographic order; false after the last. */
    private static boolean next(int[] idx, int n) {
        int k = idx.length;
        int i = k - 1;
        while (i >= 0 && idx[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        idx[i]++;
        for (int j = i + 1; j < k; j++) {
            idx[j] = idx[j - 1] + 1;
        }
        return true;
    }

    /** Takes candidates in order until the request fits, then drops those it turns out not to need. */
    static List<AllocationRecord> greedy(Resources need, Resources expected, List<AllocationRecord> candidates) {
        List<AllocationRecord> chosen = new ArrayList<>();
        Resources freed = expected;
        for (AllocationRecord c : candidates) {
            if (need.fitsIn(freed)) {
                break;
            }
            chosen.add(c);
            freed = freed.plus(c.need());
        }
        // A later (larger) choice may make others unnecessary; drop what is not needed, keeping the
        // lowest-priority victims: try the last-chosen (highest priority, oldest) first.
        for (int i = chosen.size() - 1; i >= 0; i--) {
            Resources without = freed.minusFloorZero(chosen.get(i).need());
            if (need.fitsIn(without)) {
                freed = without;
                chosen.remove(i);
            }
        }
        return chosen;
    }
}
