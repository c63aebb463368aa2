package io.keisei.resource;

import io.keisei.contracts.allocation.AllocationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class QueuePlannerTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Pool POOL = new Pool("p", "local", 4000, 8192, 2, T0);

    final QueuePlanner planner = new QueuePlanner(Duration.ofMinutes(1));
    int seq;

    AllocationRecord queued(int priority, long cpu, long mem, int gpus, Instant created) {
        return new AllocationRecord(String.format("00000000-0000-0000-0000-%012d", ++seq), "s" + seq, "o", Role.TRAINER,
                priority, "p", AllocationState.QUEUED, new Resources(cpu, mem, gpus), List.of(), null, created, null, null, null);
    }

    AllocationRecord granted(long cpu, long mem, List<Integer> gpus) {
        return queued(0, cpu, mem, gpus.size(), T0).granted(gpus, T0);
    }

    @Test
    void grantsWhatFitsInPriorityOrderWithTheLowestFreeGpus() {
        AllocationRecord holder = granted(1000, 1024, List.of(0));
        AllocationRecord low = queued(1, 1000, 1024, 1, T0);
        AllocationRecord high = queued(500, 1000, 1024, 1, T0.plusSeconds(1));
        QueuePlan plan = planner.plan(POOL, List.of(holder, low, high), T0.plusSeconds(2));

        assertThat(plan.grants()).extracting(g -> g.allocation().id()).containsExactly(high.id());
        assertThat(plan.grant(high.id()).orElseThrow().gpuIndices()).containsExactly(1);
        assertThat(plan.waiting()).singleElement().satisfies(w -> {
            assertThat(w.allocation().id()).isEqualTo(low.id());
            assertThat(w.position()).isEqualTo(1);
            assertThat(w.reason()).isEqualTo("needs 1 GPU, 0 of 2 free; first in queue");
        });
        assertThat(plan.free()).isEqualTo(new Resources(2000, 6144, 0));
    }

    @Test
    void reasonsSayWhatIsShortAndHowManyWaitAhead() {
        AllocationRecord holder = granted(3000, 1024, List.of());
        AllocationRecord first = queued(10, 2000, 1024, 0, T0);
        AllocationRecord second = queued(5, 1500, 8000, 0, T0);
        QueuePlan plan = planner.plan(POOL, List.of(holder, first, second), T0);

        assertThat(plan.grants()).isEmpty();
        assertThat(plan.waiting(first.id()).orElseThrow().reason())
                .isEqualTo("needs 2 CPU, 1 of 4 CPU free; first in queue");
        assertThat(plan.waiting(second.id()).orElseThrow().position()).isEqualTo(2);
        assertThat(plan.waiting(second.id()).orElseThrow().reason())
                .isEqualTo("needs 1.5 CPU, 1 of 4 CPU free; needs 8000 MiB memory, 7168 of 8192 MiB free; 1 request ahead");
    }

    @Test
    void aSmallRequestDoesNotTakeWhatABlockedRequestAheadWaitsFor() {
        AllocationRecord holder = granted(3000, 1024, List.of());
        AllocationRecord big = queued(10, 2000, 1024, 0, T0);
        AllocationRecord small = queued(0, 500, 512, 0, T0);
        QueuePlan plan = planner.plan(POOL, List.of(holder, big, small), T0);

        assertThat(plan.grants()).isEmpty();
        assertThat(plan.waiting(small.id()).orElseThrow().reason())
                .isEqualTo("free resources are held for the requests ahead; 1 request ahead");
    }

    @Test
    void backfillUsesOnlyWhatTheBlockedHeadWouldLeaveUnused() {
        // The head waits for both GPUs (one is taken); it holds 1 GPU, 1000m and 1024 MiB of what is free.
        AllocationRecord holder = granted(1000, 1024, List.of(0));
        AllocationRecord head = queued(10, 1000, 1024, 2, T0);
        AllocationRecord cpuOnly = queued(0, 2000, 2048, 0, T0);       // fits beside the head's hold
        AllocationRecord tooGreedy = queued(0, 1000, 1024, 0, T0.plusSeconds(1)); // would eat into the hold
        AllocationRecord wantsGpu = queued(0, 100, 100, 1, T0.plusSeconds(2));   // the free GPU is held
        QueuePlan plan = planner.plan(POOL, List.of(holder, head, cpuOnly, tooGreedy, wantsGpu), T0.plusSeconds(3));

        assertThat(plan.grants()).extracting(g -> g.allocation().id()).containsExactly(cpuOnly.id());
        assertThat(plan.waiting()).extracting(w -> w.allocation().id()).containsExactly(head.id(), tooGreedy.id(), wantsGpu.id());
        assertThat(plan.waiting()).extracting(QueuePlan.Waiting::position).containsExactly(1, 2, 3);
        // Once the holder leaves, the head gets both GPUs at once: backfill did not delay it.
        AllocationRecord backfilled = cpuOnly.granted(List.of(), T0);
        QueuePlan later = planner.plan(POOL, List.of(head, backfilled, tooGreedy, wantsGpu), T0.plusSeconds(4));
        assertThat(later.grant(head.id()).orElseThrow().gpuIndices()).containsExactly(0, 1);
    }

    @Test
    void ageingLetsAnOldLowPriorityRequestOvertakeNewcomers() {
        AllocationRecord old = queued(0, 1000, 1024, 0, T0);
        AllocationRecord fresh = queued(1000, 1000, 1024, 0, T0.plus(Duration.ofMinutes(999)));
        AllocationRecord newer = queued(1000, 1000, 1024, 0, T0.plus(Duration.ofMinutes(1001)));
        Instant now = T0.plus(Duration.ofMinutes(1002));
        List<AllocationRecord> queue = new ArrayList<>(List.of(newer, fresh, old));
        queue.sort(planner.order(now));
        // old: 0 + 1002 = 1002; fresh: 1000 + 3 = 1003; newer: 1000 + 1 = 1001
        assertThat(queue).containsExactly(fresh, old, newer);
        assertThat(planner.effectivePriority(old, now)).isEqualTo(1002.0);

        // The relative order of queued requests never changes with time (they age alike).
        queue.sort(planner.order(now.plus(Duration.ofDays(30))));
        assertThat(queue).containsExactly(fresh, old, newer);
    }

    @Test
    void withoutAgeingPriorityThenAgeDecide() {
        QueuePlanner plain = new QueuePlanner(Duration.ZERO);
        AllocationRecord a = queued(5, 1, 1, 0, T0.plusSeconds(5));
        AllocationRecord b = queued(5, 1, 1, 0, T0);
        AllocationRecord c = queued(6, 1, 1, 0, T0.plusSeconds(9));
        List<AllocationRecord> queue = new ArrayList<>(List.of(a, b, c));
        queue.sort(plain.order(T0.plus(Duration.ofDays(1))));
        assertThat(queue).containsExactly(c, b, a);
    }

    @Test
    void aRequestLargerThanAShrunkPoolHoldsNothing() {
        AllocationRecord huge = queued(1000, 9000, 1024, 0, T0);
        AllocationRecord small = queued(0, 1000, 1024, 0, T0);
        QueuePlan plan = planner.plan(POOL, List.of(huge, small), T0);
        assertThat(plan.grants()).extracting(g -> g.allocation().id()).containsExactly(small.id());
        assertThat(plan.waiting(huge.id()).orElseThrow().reason())
                .isEqualTo("needs 9 CPU but pool 'p' has 4 CPU in all; first in queue");
    }

    @Test
    void gpusHeldBeyondAShrunkGpuCountAreIgnored() {
        AllocationRecord holder = granted(100, 100, List.of(1, 5));
        AllocationRecord wants = queued(0, 100, 100, 1, T0);
        QueuePlan plan = planner.plan(POOL, List.of(holder, wants), T0);
        assertThat(plan.grant(wants.id()).orElseThrow().gpuIndices()).containsExactly(0);
    }

    AllocationRecord queuedFor(String owner, Role role, long cpu, Instant created) {
        AllocationRecord q = queued(0, cpu, 256, 0, created);
        return new AllocationRecord(q.id(), q.session(), owner, role, 0, "p", AllocationState.QUEUED, q.need(), List.of(),
                null, created, null, null, null);
    }

    static SessionQuotas quotas(Map<String, Integer> elsewhere) {
        return new SessionQuotas(r -> switch (r) {
            case TRAINER -> OptionalInt.of(2);
            case RESEARCHER -> OptionalInt.of(1);
            case VIEWER -> OptionalInt.of(0);
            case ADMIN -> OptionalInt.empty();
        }, elsewhere);
    }

    @Test
    void anOwnerAtItsConcurrentSessionQuotaWaitsWithoutHoldingAnything() {
        AllocationRecord running = queuedFor("alice", Role.TRAINER, 500, T0).granted(List.of(), T0);
        AllocationRecord second = queuedFor("alice", Role.TRAINER, 500, T0.plusSeconds(1));
        AllocationRecord third = queuedFor("alice", Role.TRAINER, 500, T0.plusSeconds(2));
        AllocationRecord bob = queuedFor("bob", Role.TRAINER, 500, T0.plusSeconds(3));
        AllocationRecord root = queuedFor("root", Role.ADMIN, 500, T0.plusSeconds(4));
        QueuePlan plan = planner.plan(POOL, List.of(running, second, third, bob, root), T0.plusSeconds(5), quotas(Map.of()));

        // alice's second session fits her quota of 2; the third waits; others are not held up by her.
        assertThat(plan.grants()).extracting(g -> g.allocation().id()).containsExactly(second.id(), bob.id(), root.id());
        QueuePlan.Waiting w = plan.waiting(third.id()).orElseThrow();
        assertThat(w.reason()).isEqualTo("quota: 2 of 2 concurrent sessions in use");
        assertThat(w.cause()).isEqualTo(QueuePlan.Cause.QUOTA);
        assertThat(w.position()).isEqualTo(1);
    }

    @Test
    void sessionsGrantedInOtherPoolsCountTowardsTheQuota() {
        AllocationRecord carol = queuedFor("carol", Role.RESEARCHER, 500, T0);
        QueuePlan plan = planner.plan(POOL, List.of(carol), T0, quotas(Map.of("carol", 1)));
        assertThat(plan.grants()).isEmpty();
        assertThat(plan.waiting(carol.id()).orElseThrow().reason()).isEqualTo("quota: 1 of 1 concurrent sessions in use");
        assertThat(plan.headWaitingForResources()).isEmpty();
    }

    @Test
    void theHeadWaitingForResourcesIsToldAboutPreemptionsInFlight() {
        AllocationRecord victim = granted(3000, 1024, List.of(0, 1)).preempted("preempted by x", T0);
        AllocationRecord head = queued(900, 2000, 1024, 1, T0);
        AllocationRecord behind = queued(0, 2000, 1024, 0, T0);
        QueuePlan plan = planner.plan(POOL, List.of(victim, head, behind), T0);
        assertThat(plan.waiting(head.id()).orElseThrow().reason())
                .isEqualTo("needs 2 CPU, 1 of 4 CPU free; needs 1 GPU, 0 of 2 free; "
                        + "waiting for 1 preempted allocation to be released; first in queue");
        assertThat(plan.waiting(behind.id()).orElseThrow().reason()).doesNotContain("preempted");
    }
}
