package io.keisei.resource;

import io.keisei.contracts.allocation.AllocationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PreemptionPlannerTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Pool POOL = new Pool("p", "local", 8000, 16384, 4, T0);

    final QueuePlanner queue = new QueuePlanner(Duration.ofMinutes(1));
    final PreemptionPlanner preemption = new PreemptionPlanner(1);
    int seq;
    int nextGpu;

    AllocationRecord queued(int priority, long cpu, int gpus) {
        seq++;
        return new AllocationRecord(String.format("00000000-0000-0000-0000-%012d", seq), "s" + seq, "o", Role.ADMIN,
                priority, "p", AllocationState.QUEUED, new Resources(cpu, 512, gpus), List.of(), null, T0.plusSeconds(seq),
                null, null, null);
    }

    /** Granted {@code minutesAgo} before T0 + 1 h, with the next free GPUs. */
    AllocationRecord running(int priority, long cpu, int gpus, int minutesAgo) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            indices.add(nextGpu++);
        }
        return queued(priority, cpu, gpus).granted(indices, T0.plus(Duration.ofMinutes(60 - minutesAgo)));
    }

    Optional<PreemptionPlanner.Preemption> plan(List<AllocationRecord> live) {
        Instant now = T0.plus(Duration.ofHours(1));
        return preemption.plan(queue.plan(POOL, live, now), live);
    }

    static List<String> sessions(Optional<PreemptionPlanner.Preemption> p) {
        return p.orElseThrow().victims().stream().map(AllocationRecord::session).toList();
    }

    @Test
    void oneVictimWhenOneIsEnoughAndTheLowestPriorityOfThose() {
        AllocationRecord a = running(10, 1000, 1, 50);
        AllocationRecord b = running(5, 1000, 2, 40);   // lowest priority: it goes, though it frees 2 GPUs
        AllocationRecord c = running(10, 1000, 1, 30);
        AllocationRecord head = queued(500, 1000, 1);
        Optional<PreemptionPlanner.Preemption> p = plan(List.of(a, b, c, head));
        assertThat(p.orElseThrow().preemptor()).isEqualTo(head);
        assertThat(sessions(p)).containsExactly(b.session());
    }

    @Test
    void amongEqualPrioritiesTheYoungestGoes() {
        AllocationRecord old = running(10, 1000, 2, 50);
        AllocationRecord young = running(10, 1000, 2, 5);
        AllocationRecord head = queued(500, 1000, 2);
        assertThat(sessions(plan(List.of(old, young, head)))).containsExactly(young.session());
    }

    @Test
    void fewestVictimsBeatLowerPriorities() {
        AllocationRecord small1 = running(1, 1000, 1, 10);
        AllocationRecord small2 = running(1, 1000, 1, 20);
        AllocationRecord big = running(9, 1000, 2, 30);
        AllocationRecord head = queued(500, 1000, 2);
        assertThat(sessions(plan(List.of(small1, small2, big, head)))).containsExactly(big.session());
    }

    @Test
    void severalVictimsWhenNeededButNoneTooMany() {
        AllocationRecord a = running(1, 3000, 1, 10);
        AllocationRecord b = running(2, 3000, 1, 20);
        AllocationRecord c = running(3, 1000, 2, 30);
        AllocationRecord head = queued(500, 5000, 1); // needs 5000m: 1000m free, so 4000m more
        // No single victim frees 4000m; (a, b) is the first pair in victim order (lowest priorities) that does.
        assertThat(sessions(plan(List.of(a, b, c, head)))).containsExactly(a.session(), b.session());
    }

    @Test
    void equalOrHigherPrioritiesAreNeverPreempted() {
        AllocationRecord peer = running(500, 1000, 4, 10);
        AllocationRecord head = queued(500, 1000, 1);
        assertThat(plan(List.of(peer, head))).isEmpty();
        PreemptionPlanner wideGap = new PreemptionPlanner(100);
        AllocationRecord near = running(450, 1000, 0, 10);
        List<AllocationRecord> live = List.of(peer, near, head);
        assertThat(wideGap.plan(queue.plan(POOL, live, T0.plus(Duration.ofHours(1))), live)).isEmpty();
    }

    @Test
    void nothingIsPreemptedWhenTheVictimsAlreadyChosenWillBeEnough() {
        AllocationRecord victim = running(1, 1000, 2, 10).preempted("preempted by earlier head", T0);
        AllocationRecord other = running(1, 1000, 2, 20);
        AllocationRecord head = queued(500, 1000, 2);
        assertThat(plan(List.of(victim, other, head))).isEmpty();
    }

    @Test
    void nothingIsPreemptedWhenEvenAllCandidatesWouldNotBeEnough() {
        AllocationRecord high = running(900, 1000, 3, 10);
        AllocationRecord low = running(1, 1000, 1, 10);
        AllocationRecord head = queued(500, 1000, 2);
        assertThat(plan(List.of(high, low, head))).isEmpty();
    }

    @Test
    void onlyTheHeadOfTheQueueMayPreempt() {
        AllocationRecord low = running(1, 1000, 4, 10);
        AllocationRecord head = queued(800, 1000, 1);
        AllocationRecord behind = queued(700, 1000, 1);
        assertThat(plan(List.of(low, head, behind)).orElseThrow().preemptor()).isEqualTo(head);
    }

    @Test
    void theGreedyFallbackAlsoKeepsTheLowestPriorities() {
        List<AllocationRecord> candidates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            candidates.add(running(i, 1000, 0, 10));
        }
        // Needs 2500m: greedy takes priorities 0, 1, 2 (3000m) and none can be dropped.
        List<AllocationRecord> chosen = PreemptionPlanner.greedy(new Resources(2500, 0, 0), Resources.NONE, candidates);
        assertThat(chosen).extracting(AllocationRecord::priority).containsExactly(0, 1, 2);
        // Needs 1000m beyond 500m free: one is enough.
        chosen = PreemptionPlanner.greedy(new Resources(1500, 0, 0), new Resources(500, 0, 0), candidates);
        assertThat(chosen).extracting(AllocationRecord::priority).containsExactly(0);
    }
}
