package io.keisei.resource;

import io.keisei.contracts.allocation.AllocationState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue planner over a cluster pool: every grant on one node, placed to keep large GPU blocks whole, other
 * people's pods counted, excluded nodes never used, and reasons in terms of single nodes.
 */
class ClusterPlacementTest {

    static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    static final Resources H100_NODE = new Resources(64_000, 512 * 1024, 8);
    final QueuePlanner planner = new QueuePlanner(Duration.ofMinutes(1));
    int seq;

    static ClusterNode h100(int i, Resources foreign) {
        return new ClusterNode("gpu-h100-" + i, "h100", H100_NODE, foreign, "NVIDIA-H100-80GB-HBM3", null);
    }

    static Pool pool(List<ClusterNode> nodes) {
        Resources sum = Resources.NONE;
        for (ClusterNode n : nodes) {
            if (n.eligible()) {
                sum = sum.plus(n.allocatable());
            }
        }
        return new Pool("h100", "kubernetes", sum.cpuMillis(), sum.memoryMb(), sum.gpus(), T0);
    }

    AllocationRecord queued(int gpus, long cpu) {
        return new AllocationRecord(String.format("00000000-0000-0000-0000-%012d", ++seq), "s" + seq, "o" + seq, Role.TRAINER,
                100, "h100", AllocationState.QUEUED, new Resources(cpu, 16_384, gpus), List.of(), null, T0.plusSeconds(seq),
                null, null, null);
    }

    AllocationRecord grantedOn(String node, List<Integer> gpus) {
        return queued(gpus.size(), 8_000).granted(node, gpus, T0, null);
    }

    @Test
    void aRequestsGpusComeFromOneNodeAndSmallRequestsPackTogether() {
        List<ClusterNode> nodes = List.of(h100(1, Resources.NONE), h100(2, Resources.NONE));
        AllocationRecord two = queued(2, 8_000);
        AllocationRecord twoMore = queued(2, 8_000);
        AllocationRecord eight = queued(8, 8_000);
        QueuePlan plan = planner.plan(pool(nodes), nodes, List.of(two, twoMore, eight), T0.plusSeconds(60), SessionQuotas.NONE);

        assertThat(plan.grants()).hasSize(3);
        QueuePlan.Grant a = plan.grant(two.id()).orElseThrow();
        QueuePlan.Grant b = plan.grant(twoMore.id()).orElseThrow();
        QueuePlan.Grant c = plan.grant(eight.id()).orElseThrow();
        // the two small ones share a node (best fit), so the other node stays whole for the 8-GPU request
        assertThat(a.node()).isEqualTo(b.node());
        assertThat(c.node()).isNotEqualTo(a.node());
        assertThat(a.gpuIndices()).containsExactly(0, 1);
        assertThat(b.gpuIndices()).containsExactly(2, 3);
        assertThat(c.gpuIndices()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void fragmentedGpusMakeARequestWaitWithTheLargestFreeBlockNamed() {
        List<ClusterNode> nodes = List.of(h100(1, Resources.NONE), h100(2, Resources.NONE), h100(3, Resources.NONE),
                h100(4, Resources.NONE));
        List<AllocationRecord> live = new ArrayList<>();
        // 6 of 8 GPUs taken on every node: 8 GPUs free in the pool, but never 4 on one node
        for (int i = 1; i <= 4; i++) {
            live.add(grantedOn("gpu-h100-" + i, List.of(0, 1, 2, 3, 4, 5)));
        }
        AllocationRecord four = queued(4, 8_000);
        live.add(four);
        QueuePlan plan = planner.plan(pool(nodes), nodes, live, T0.plusSeconds(60), SessionQuotas.NONE);

        assertThat(plan.grants()).isEmpty();
        assertThat(plan.free().gpus()).isEqualTo(8);
        QueuePlan.Waiting w = plan.waiting(four.id()).orElseThrow();
        assertThat(w.cause()).isEqualTo(QueuePlan.Cause.RESOURCES);
        assertThat(w.reason()).isEqualTo("needs 4 GPUs on one node; largest free block: 2 (gpu-h100-1, pool h100); first in queue");
    }

    @Test
    void otherPeoplesPodsCountAndExcludedNodesAreNeverUsed() {
        List<ClusterNode> nodes = List.of(
                h100(1, new Resources(4_000, 8_192, 7)),
                new ClusterNode("gpu-h100-2", "h100", H100_NODE, Resources.NONE, null, "cordoned"),
                new ClusterNode("gpu-h100-3", "h100", H100_NODE, Resources.NONE, null,
                        "taint nvidia.com/maintenance=true:NoSchedule is not tolerated by trainers"));
        AllocationRecord one = queued(1, 8_000);
        AllocationRecord another = queued(1, 8_000);
        QueuePlan plan = planner.plan(pool(nodes), nodes, List.of(one, another), T0.plusSeconds(60), SessionQuotas.NONE);

        assertThat(plan.grant(one.id()).orElseThrow().node()).isEqualTo("gpu-h100-1");
        // someone else's pods hold 7 of its 8 GPUs; the index we get is one theirs cannot be counted on
        assertThat(plan.grant(one.id()).orElseThrow().gpuIndices()).containsExactly(0);
        assertThat(plan.waiting(another.id()).orElseThrow().reason())
                .isEqualTo("needs 1 GPU on one node; largest free block: 0 (gpu-h100-1, pool h100); first in queue");
        assertThat(plan.capacity().gpus()).as("only the eligible node counts").isEqualTo(8);
    }

    @Test
    void aRequestLargerThanAnyNodeSaysSoAndHoldsNothing() {
        List<ClusterNode> nodes = List.of(h100(1, Resources.NONE), h100(2, Resources.NONE));
        AllocationRecord sixteen = queued(16, 8_000);
        AllocationRecord one = queued(1, 8_000);
        QueuePlan plan = planner.plan(pool(nodes), nodes, List.of(sixteen, one), T0.plusSeconds(60), SessionQuotas.NONE);

        assertThat(plan.waiting(sixteen.id()).orElseThrow().cause()).isEqualTo(QueuePlan.Cause.CAPACITY);
        assertThat(plan.waiting(sixteen.id()).orElseThrow().reason()).isEqualTo("needs 8 CPU, 16384 MiB memory, 16 GPUs "
                + "on one node, but the largest node of pool 'h100' has 64 CPU, 524288 MiB memory, 8 GPUs (gpu-h100-1); "
                + "first in queue");
        assertThat(plan.grant(one.id())).isPresent();
    }

    @Test
    void aBlockedHeadHoldsItsNodeButRequestsBehindUseTheOthers() {
        List<ClusterNode> nodes = List.of(h100(1, Resources.NONE), h100(2, Resources.NONE));
        List<AllocationRecord> live = new ArrayList<>();
        live.add(grantedOn("gpu-h100-1", List.of(0, 1)));        // node 1: 6 free
        live.add(grantedOn("gpu-h100-2", List.of(0, 1, 2, 3, 4))); // node 2: 3 free
        AllocationRecord eight = queued(8, 8_000);  // waits; holds node 1, where it comes closest
        AllocationRecord three = queued(3, 8_000);  // behind it: node 1 is held, node 2 has 3
        AllocationRecord one = queued(1, 8_000);    // behind both: node 1 held, node 2 now full
        live.addAll(List.of(eight, three, one));
        QueuePlan plan = planner.plan(pool(nodes), nodes, live, T0.plusSeconds(60), SessionQuotas.NONE);

        assertThat(plan.grant(three.id()).orElseThrow().node()).isEqualTo("gpu-h100-2");
        assertThat(plan.waiting(eight.id()).orElseThrow().reason())
                .isEqualTo("needs 8 GPUs on one node; largest free block: 6 (gpu-h100-1, pool h100); first in queue");
        assertThat(plan.waiting(one.id())).as("node 1's free GPUs are held for the 8-GPU request").isPresent();
        assertThat(plan.waiting(one.id()).orElseThrow().position()).isEqualTo(2);
    }

    @Test
    void cpuOnlyRequestsLandOnCpuNodesNotOnGpuNodes() {
        List<ClusterNode> nodes = List.of(h100(1, Resources.NONE),
                new ClusterNode("cpu-1", "h100", new Resources(32_000, 131_072, 0), Resources.NONE, null, null));
        AllocationRecord cpu = queued(0, 4_000);
        QueuePlan plan = planner.plan(pool(nodes), nodes, List.of(cpu), T0.plusSeconds(60), SessionQuotas.NONE);
        assertThat(plan.grant(cpu.id()).orElseThrow().node()).isEqualTo("cpu-1");
        assertThat(plan.grant(cpu.id()).orElseThrow().gpuIndices()).isEmpty();
    }
}
