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

    // --- a cluster pool: the victims must make room on one node ---

    static final Pool CLUSTER = new Pool("h100", "kubernetes", 128_000, 1_048_576, 16, T0);

    static ClusterNode gpuNode(String name) {
        return new ClusterNode(name, "h100", new Resources(64_000, 524_288, 8), Resources.NONE, "H100", null);
    }

    AllocationRecord runningOn(String node, int priority, int gpus, int minutesAgo) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            indices.add(i);
        }
        return queued(priority, 1000, gpus).granted(node, indices, T0.plus(Duration.ofMinutes(60 - minutesAgo)), null);
    }

    Optional<PreemptionPlanner.Preemption> planOn(List<ClusterNode> nodes, List<AllocationRecord> live) {
        Instant now = T0.plus(Duration.ofHours(1));
        return preemption.plan(queue.plan(CLUSTER, nodes, live, now, SessionQuotas.NONE), live, nodes);
    }

    @Test
    void inAClusterTheVictimsComeFromTheOneNodeWhereTheyMakeRoom() {
        List<ClusterNode> nodes = List.of(gpuNode("gpu-1"), gpuNode("gpu-2"));
        // gpu-1: a 6-GPU low-priority job beside an important 2-GPU one; gpu-2: two 4-GPU low-priority jobs.
        AllocationRecord six = runningOn("gpu-1", 10, 6, 5);
        AllocationRecord important = runningOn("gpu-1", 900, 2, 50);
        AllocationRecord fourA = runningOn("gpu-2", 10, 4, 40);
        AllocationRecord fourB = runningOn("gpu-2", 10, 4, 30);
        AllocationRecord head = queued(500, 1000, 8);
        Optional<PreemptionPlanner.Preemption> p = planOn(nodes, List.of(six, important, fourA, fourB, head));
        // by pool totals one 6-GPU victim and a 4-GPU one "fit" 8 GPUs, on two nodes: useless. gpu-2 is the node.
        assertThat(sessions(p)).containsExactlyInAnyOrder(fourA.session(), fourB.session());
    }

    @Test
    void inAClusterNobodyIsPreemptedWhenNoSingleNodeCanMakeRoom() {
        List<ClusterNode> nodes = List.of(gpuNode("gpu-1"), gpuNode("gpu-2"));
        AllocationRecord lowA = runningOn("gpu-1", 10, 4, 40);
        AllocationRecord keepA = runningOn("gpu-1", 900, 4, 40);
        AllocationRecord lowB = runningOn("gpu-2", 10, 4, 30);
        AllocationRecord keepB = runningOn("gpu-2", 900, 4, 30);
        AllocationRecord head = queued(500, 1000, 8);
        assertThat(planOn(nodes, List.of(lowA, keepA, lowB, keepB, head)))
                .as("8 low-priority GPUs in the pool, but at most 4 on any node").isEmpty();
    }

    @Test
    void inAClusterNothingMoreIsPreemptedWhileANodeIsAlreadyMakingRoom() {
        List<ClusterNode> nodes = List.of(gpuNode("gpu-1"), gpuNode("gpu-2"));
        AllocationRecord going = runningOn("gpu-1", 10, 8, 40).preempted("preempted by someone", T0);
        AllocationRecord other = runningOn("gpu-2", 10, 8, 30);
        AllocationRecord head = queued(500, 1000, 8);
        assertThat(planOn(nodes, List.of(going, other, head))).isEmpty();
    }

    @Test
    void inAClusterTheNodeWithTheFewestVictimsWins() {
        List<ClusterNode> nodes = List.of(gpuNode("gpu-1"), gpuNode("gpu-2"));
        AllocationRecord one = runningOn("gpu-1", 5, 2, 40);
        AllocationRecord two = runningOn("gpu-1", 5, 2, 40);
        AllocationRecord three = runningOn("gpu-1", 5, 4, 40);
        AllocationRecord big = runningOn("gpu-2", 20, 8, 10);
        AllocationRecord head = queued(500, 1000, 8);
        assertThat(sessions(planOn(nodes, List.of(one, two, three, big, head)))).containsExactly(big.session());
    }
}
