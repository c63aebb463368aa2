package io.keisei.resource.discovery;

import com.sun.management.OperatingSystemMXBean;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.api.HostResources;
import io.keisei.resource.config.ResourceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.management.ManagementFactory;
import java.util.List;

/** Finds the CPU, memory and GPUs of this host, cgroup-aware, with configured overrides winning. */
@ApplicationScoped
public class HostDiscovery {

    private final ResourceConfig config;
    private final CgroupLimits cgroup;
    private final GpuDiscovery gpus;

    @Inject
    public HostDiscovery(ResourceConfig config, GpuDiscovery gpus) {
        this(config, CgroupLimits.system(), gpus);
    }

    HostDiscovery(ResourceConfig config, CgroupLimits cgroup, GpuDiscovery gpus) {
        this.config = config;
        this.cgroup = cgroup;
        this.gpus = gpus;
    }

    public HostResources discover() {
        int cores = Runtime.getRuntime().availableProcessors();
        long cpuMillis;
        String cpuSource;
        if (config.local().cpuMillis().isPresent()) {
            cpuMillis = config.local().cpuMillis().getAsLong();
            cpuSource = "override";
        } else if (cgroup.cpuMillis().isPresent()) {
            cpuMillis = Math.min(cgroup.cpuMillis().getAsLong(), cores * 1000L);
            cpuSource = "cgroup";
        } else {
            cpuMillis = cores * 1000L;
            cpuSource = "jvm";
        }
        long osMemoryMb = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize()
                / (1024 * 1024);
        long memoryMb;
        String memorySource;
        if (config.local().memoryMb().isPresent()) {
            memoryMb = config.local().memoryMb().getAsLong();
            memorySource = "override";
        } else if (cgroup.memoryMb().isPresent() && cgroup.memoryMb().getAsLong() < osMemoryMb) {
            memoryMb = cgroup.memoryMb().getAsLong();
            memorySource = "cgroup";
        } else {
            memoryMb = osMemoryMb;
            memorySource = "os";
        }
        List<GpuStatus> found = gpus.gpus();
        int gpuCount;
        String gpuSource;
        if (config.local().gpuCount().isPresent()) {
            gpuCount = config.local().gpuCount().getAsInt();
            gpuSource = "override";
        } else {
            gpuCount = found.size();
            gpuSource = found.isEmpty() ? "none" : "nvidia-smi";
        }
        return new HostResources(HostName.get(), cores, cpuMillis, memoryMb, gpuCount, cpuSource, memorySource, gpuSource,
                found);
    }
}
