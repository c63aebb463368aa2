package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetricsBuilder;

/** Hand-built Nodes, Pods and NodeMetrics for the tests of cluster-mode system status. */
final class ClusterObjects {

    private ClusterObjects() {
    }

    /** A Ready, untainted node; {@code pool} and {@code product} are its labels when not null. */
    static Node node(String name, String pool, String cpu, String memory, int gpus, String product) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        if (gpus > 0) {
            b.editStatus().addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endStatus();
        }
        if (product != null) {
            b.editMetadata().addToLabels("nvidia.com/gpu.product", product).endMetadata();
        }
        if (pool != null) {
            b.editMetadata().addToLabels("keisei.io/pool", pool).endMetadata();
        }
        return b.build();
    }

    /** A pod bound to {@code node} (none: not scheduled) with one container's requests; GPUs as a limit only. */
    static Pod pod(String name, String node, String cpu, String memory, int gpus, String phase, boolean ours) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("team").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("work").withNewResources()
                .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
                .addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        if (ours) {
            b.editMetadata().addToLabels(ClusterNodes.OUR_PODS_LABEL, ClusterNodes.OUR_PODS_VALUE).endMetadata();
        }
        return b.build();
    }

    /** What metrics-server reports for a node. */
    static NodeMetrics metrics(String node, String cpu, String memory) {
        return new NodeMetricsBuilder().withNewMetadata().withName(node).endMetadata()
                .addToUsage("cpu", new Quantity(cpu)).addToUsage("memory", new Quantity(memory)).build();
    }
}
