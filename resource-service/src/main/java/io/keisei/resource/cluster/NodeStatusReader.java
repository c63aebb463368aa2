package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.SystemStatus;
import io.keisei.resource.ClusterNode;
import io.keisei.resource.Resources;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a cluster's nodes into system samples, one per eligible node (one that takes trainers, as the pools count
 * them). Pure: the informers' caches and the last NodeMetrics go in, the samples come out, so it is tested on
 * hand-built objects.
 *
 * <ul>
 *   <li>CPU and memory in use are the node's NodeMetrics (metrics.k8s.io) when there is one for it, else the requests
 *       of every non-terminated pod on it, ours included (a node's load is everything on it); either is a share of
 *       its allocatable, the amount pools count;</li>
 *   <li>its GPUs are its allocatable GPUs ({@code gpuResource}), named by its product label; how many its pods
 *       request is {@code gpusRequested}: the device plugin does not say which ones, nor how busy they are, so the
 *       entries carry no utilisation or memory;</li>
 *   <li>the pool is the node's pool label, else the default pool.</li>
 * </ul>
 */
public final class NodeStatusReader {

    private NodeStatusReader() {
    }

    /** The samples of the eligible nodes, by pool then node name. */
    public static List<SystemStatus> read(Collection<Node> nodes, Collection<Pod> pods, Collection<NodeMetrics> metrics,
                                          ClusterNodes.Settings settings, long time) {
        Map<String, Resources> requested = ClusterNodes.requestedByNode(pods, settings.gpuResource(), true);
        Map<String, NodeMetrics> measured = new HashMap<>();
        for (NodeMetrics m : metrics) {
            if (m.getMetadata() != null && m.getMetadata().getName() != null && m.getUsage() != null) {
                measured.put(m.getMetadata().getName(), m);
            }
        }
        List<SystemStatus> out = new ArrayList<>();
        for (Node n : nodes) {
            ClusterNode node = ClusterNodes.read(n, Resources.NONE, settings);
            if (node.eligible()) {
                out.add(sample(node, requested.getOrDefault(node.name(), Resources.NONE), measured.get(node.name()),
                        settings.gpuResource(), time));
            }
        }
        out.sort(Comparator.comparing(SystemStatus::pool).thenComparing(SystemStatus::node));
        return out;
    }

    private static SystemStatus sample(ClusterNode node, Resources requested, NodeMetrics metrics, String gpuResource,
                                       long time) {
        long cpuMillis = requested.cpuMillis();
        long memoryMb = requested.memoryMb();
        String source = SystemStatus.USAGE_REQUESTS;
        if (metrics != null) {
            Map<String, Quantity> usage = metrics.getUsage();
            cpuMillis = ClusterNodes.millis(usage.get("cpu"));
            memoryMb = ClusterNodes.mebibytes(usage.get("memory"));
            source = SystemStatus.USAGE_METRICS;
        }
        Resources allocatable = node.allocatable();
        List<GpuStatus> gpus = new ArrayList<>(allocatable.gpus());
        for (int i = 0; i < allocatable.gpus(); i++) {
            gpus.add(new GpuStatus(i, null, node.gpuProduct() != null ? node.gpuProduct() : gpuResource, 0, 0, 0));
        }
        return new SystemStatus(SystemStatus.VERSION, node.name(), time, percent(cpuMillis, allocatable.cpuMillis()),
                List.of(), memoryMb, allocatable.memoryMb(), gpus, node.pool(), source, requested.gpus());
    }

    /** Used as a percentage of allocatable, to 0.1; above 100 when the node's own daemons eat into its reserve. */
    static double percent(long used, long allocatable) {
        return allocatable <= 0 ? 0 : Math.round(used * 1000.0 / allocatable) / 10.0;
    }
}
