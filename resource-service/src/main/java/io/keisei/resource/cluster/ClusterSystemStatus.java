package io.keisei.resource.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.keisei.contracts.SystemStatus;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.stream.SystemStatusPublisher;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * In cluster mode, system status is the cluster's: once per keisei.resources.system.interval (1 s) one sample per
 * eligible node ({@link NodeStatusReader}, measured through {@link NodeMetricsSource} where metrics.k8s.io is served)
 * goes on keisei:system, and the latest are kept for GET /system/status. The local host's counterpart is
 * {@code SystemStatusSampler}, which is quiet in cluster mode (resource-service's own pod is not a node).
 */
@ApplicationScoped
public class ClusterSystemStatus {

    private final boolean cluster;
    private final NodeInventory inventory;
    private final NodeMetricsSource metrics;
    private final SystemStatusPublisher publisher;
    private final AtomicReference<List<SystemStatus>> latest = new AtomicReference<>();

    public ClusterSystemStatus(ResourceConfig config, NodeInventory inventory, Instance<KubernetesClient> client,
                               SystemStatusPublisher publisher) {
        this.cluster = config.mode() == ResourceConfig.Mode.KUBERNETES;
        this.inventory = inventory;
        // The client is looked up on first use: in local mode there is none to configure.
        this.metrics = new NodeMetricsSource(() -> client.get().top().nodes().metrics().getItems(), System::nanoTime);
        this.publisher = publisher;
    }

    @Scheduled(identity = "cluster-system-status", every = "${keisei.resources.system.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (cluster && inventory.started()) {
            sample().forEach(publisher::publish);
        }
    }

    /** The latest samples, by pool and node; taken now when there are none yet. */
    public List<SystemStatus> latest() {
        List<SystemStatus> s = latest.get();
        return s != null ? s : sample();
    }

    List<SystemStatus> sample() {
        List<SystemStatus> s = NodeStatusReader.read(inventory.nodes(), inventory.pods(), metrics.current(),
                inventory.settings(), System.currentTimeMillis());
        latest.set(s);
        return s;
    }
}
