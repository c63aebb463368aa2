package io.keisei.resource.service;

import io.keisei.contracts.SystemStatus;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.discovery.CpuSampler;
import io.keisei.resource.discovery.GpuDiscovery;
import io.keisei.resource.discovery.HostName;
import io.keisei.resource.discovery.MemorySampler;
import io.keisei.resource.stream.SystemStatusPublisher;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples this node once per keisei.resources.system.interval (1 s): CPU in total and per core,
 * memory, and per-GPU utilisation and memory as the GPU poller last saw them; publishes each
 * sample on keisei:system and keeps the latest for GET /system/status. In local mode only: in cluster mode this
 * host is resource-service's pod, not a node, and {@code ClusterSystemStatus} publishes the cluster's nodes.
 */
@ApplicationScoped
public class SystemStatusSampler {

    private final CpuSampler cpu = CpuSampler.system();
    private final MemorySampler memory = MemorySampler.system();
    private final GpuDiscovery gpus;
    private final SystemStatusPublisher publisher;
    private final AtomicReference<SystemStatus> latest = new AtomicReference<>();
    private final boolean local;

    public SystemStatusSampler(ResourceConfig config, GpuDiscovery gpus, SystemStatusPublisher publisher) {
        this.local = config.mode() == ResourceConfig.Mode.LOCAL;
        this.gpus = gpus;
        this.publisher = publisher;
    }

    @Scheduled(identity = "system-status", every = "${keisei.resources.system.interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (local) {
            publisher.publish(sample());
        }
    }

    /** The latest sample; one is taken now when there is none yet (or sampling is off). */
    public SystemStatus latest() {
        SystemStatus s = latest.get();
        return s != null ? s : sample();
    }

    synchronized SystemStatus sample() {
        CpuSampler.Sample c = cpu.sample();
        MemorySampler.Sample m = memory.sample();
        SystemStatus s = new SystemStatus(SystemStatus.VERSION, HostName.get(), System.currentTimeMillis(), c.totalPercent(),
                c.perCorePercent(), m.usedMb(), m.totalMb(), gpus.gpus());
        latest.set(s);
        return s;
    }
}
