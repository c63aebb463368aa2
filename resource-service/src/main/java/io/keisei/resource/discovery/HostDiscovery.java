package io.keisei.resource.discovery;

import com.sun.management.OperatingSystemMXBean;
import io.keisei.resource.HostResources;
import io.keisei.resource.config.ResourceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** Finds the CPU, memory and GPUs of this host, cgroup-aware, with configured overrides winning. */
@ApplicationScoped
public class HostDiscovery {

    private final ResourceConfig config;
    private final CgroupLimits cgroup;

    @Inject
    public HostDiscovery(ResourceConfig config) {
        this(config, CgroupLimits.system());
    }

    HostDiscovery(ResourceConfig config, CgroupLimits cgroup) {
        this.config = config;
        this.cgroup = cgroup;
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
        // GPUs are not discovered yet (nvidia-smi discovery comes later): an override, or none.
        int gpuCount = config.local().gpuCount().orElse(0);
        String gpuSource = config.local().gpuCount().isPresent() ? "override" : "none";
        return new HostResources(hostname(), cores, cpuMillis, memoryMb, gpuCount, cpuSource, memorySource, gpuSource);
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
