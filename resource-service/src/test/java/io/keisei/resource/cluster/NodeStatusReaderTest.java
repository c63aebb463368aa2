package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.SystemStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.keisei.resource.cluster.ClusterObjects.metrics;
import static io.keisei.resource.cluster.ClusterObjects.node;
import static io.keisei.resource.cluster.ClusterObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeStatusReaderTest {

    static final ClusterNodes.Settings SETTINGS = new ClusterNodes.Settings("keisei.io/pool", "default", "nvidia.com/gpu",
            "nvidia.com/gpu.product", List.of());
    static final long T = 1_700_000_000_000L;

    static Map<String, SystemStatus> byNode(List<SystemStatus> samples) {
        return samples.stream().collect(java.util.stream.Collectors.toMap(SystemStatus::node, s -> s));
    }

    final List<Node> nodes = List.of(
            node("h100-a", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3"),
            node("h100-b", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3"),
            node("cpu-1", null, "16", "64Gi", 0, null));
    final List<Pod> pods = List.of(
            pod("theirs", "h100-b", "24", "64Gi", 6, "Running", false),
            pod("our-trainer", "h100-b", "8", "32Gi", 1, "Running", true),
            pod("finished", "h100-b", "30", "300Gi", 1, "Succeeded", false),
            pod("pending-unbound", null, "60", "400Gi", 8, "Pending", false),
            pod("batch", "cpu-1", "4", "8Gi", 0, "Running", false));

    @Test
    void aNodeWithMetricsIsMeasuredAndOneWithoutIsReadByItsPodsRequestsOursIncluded() {
        Map<String, SystemStatus> s = byNode(NodeStatusReader.read(nodes, pods,
                List.of(metrics("h100-a", "16", "128Gi"), metrics("cpu-1", "1500m", "16Gi")), SETTINGS, T));

        SystemStatus a = s.get("h100-a");
        assertThat(a.usageSource()).isEqualTo(SystemStatus.USAGE_METRICS);
        assertThat(a.cpuPercent()).as("16 of 64 cores").isEqualTo(25.0);
        assertThat(a.memoryUsedMb()).isEqualTo(128 * 1024);
        assertThat(a.memoryTotalMb()).isEqualTo(512 * 1024);
        assertThat(a.gpusRequested()).isZero();

        SystemStatus b = s.get("h100-b");
        assertThat(b.usageSource()).isEqualTo(SystemStatus.USAGE_REQUESTS);
        assertThat(b.cpuPercent()).as("24 + 8 of 64 cores: the finished and the unbound pod hold nothing here")
                .isEqualTo(50.0);
        assertThat(b.memoryUsedMb()).isEqualTo(96 * 1024);
        assertThat(b.gpusRequested()).as("6 of theirs and 1 of our trainer").isEqualTo(7);

        SystemStatus cpu = s.get("cpu-1");
        assertThat(cpu.usageSource()).isEqualTo(SystemStatus.USAGE_METRICS);
        assertThat(cpu.cpuPercent()).as("measured 1.5 cores, not the 4 requested").isEqualTo(9.4);
        assertThat(cpu.memoryUsedMb()).isEqualTo(16 * 1024);
    }

    @Test
    void samplesCarryNodeNamesPoolsTimeAndOneGpuEntryPerAllocatableGpu() {
        List<SystemStatus> samples = NodeStatusReader.read(nodes, pods, List.of(), SETTINGS, T);

        assertThat(samples).extracting(SystemStatus::pool, SystemStatus::node).containsExactly(
                org.assertj.core.groups.Tuple.tuple("default", "cpu-1"),
                org.assertj.core.groups.Tuple.tuple("h100", "h100-a"),
                org.assertj.core.groups.Tuple.tuple("h100", "h100-b"));
        assertThat(samples).allSatisfy(x -> {
            assertThat(x.time()).isEqualTo(T);
            assertThat(x.usageSource()).isEqualTo(SystemStatus.USAGE_REQUESTS);
        });
        SystemStatus a = samples.get(1);
        assertThat(a.gpus()).extracting(GpuStatus::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(a.gpus()).extracting(GpuStatus::name).containsOnly("NVIDIA-H100-80GB-HBM3");
        assertThat(a.gpus()).allSatisfy(g -> {
            assertThat(g.uuid()).isNull();
            assertThat(g.utilizationPercent()).isZero();
        });
        assertThat(a.cpuPercent()).as("nothing on it").isZero();
        assertThat(samples.get(0).gpus()).isEmpty();
        assertThat(samples.get(0).gpusRequested()).isZero();
    }

    @Test
    void nodesThatTakeNoTrainersHaveNoSample() {
        Node cordoned = node("h100-c", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3");
        cordoned.getSpec().setUnschedulable(true);
        Node notReady = node("h100-d", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3");
        notReady.getStatus().getConditions().get(0).setStatus("False");
        List<SystemStatus> samples = NodeStatusReader.read(List.of(cordoned, notReady, nodes.get(0)), pods,
                List.of(metrics("h100-c", "1", "1Gi")), SETTINGS, T);
        assertThat(samples).extracting(SystemStatus::node).containsExactly("h100-a");
    }

    @Test
    void aGpuNodeWithoutAProductLabelNamesItsGpusByTheResource() {
        List<SystemStatus> samples = NodeStatusReader.read(List.of(node("g", "x", "8", "32Gi", 2, null)), List.of(),
                List.of(), SETTINGS, T);
        assertThat(samples.get(0).gpus()).extracting(GpuStatus::name).containsExactly("nvidia.com/gpu", "nvidia.com/gpu");
    }

    @Test
    void percentOfAllocatableToOneDecimalAndZeroWithoutAllocatable() {
        assertThat(NodeStatusReader.percent(1, 3)).isEqualTo(33.3);
        assertThat(NodeStatusReader.percent(70, 64)).as("daemons beyond the reserve show").isEqualTo(109.4);
        assertThat(NodeStatusReader.percent(5, 0)).isZero();
    }
}
