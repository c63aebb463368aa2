package io.keisei.resource;

/**
 * What this host offers to trainers, after cgroup limits and configured overrides.
 *
 * @param cpuMillis   CPU in millicores (1000 = one core)
 * @param memoryMb    memory in MiB
 * @param cpuSource   where the CPU figure came from: "cgroup", "jvm" or "override"
 * @param memorySource where the memory figure came from: "cgroup", "os" or "override"
 */
public record HostResources(String hostname, int cpuCores, long cpuMillis, long memoryMb, String cpuSource,
                            String memorySource) {
}
