package io.keisei.resource.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory in use and in all, MiB: inside a cgroup with a memory limit below the host's memory, the
 * cgroup's usage (less reclaimable file cache) against its limit; otherwise the host's
 * MemTotal - MemAvailable against MemTotal from /proc/meminfo.
 */
public final class MemorySampler {

    /** One sample. */
    public record Sample(long usedMb, long totalMb) {
    }

    private final Path procMeminfo;
    private final CgroupLimits cgroup;

    public MemorySampler(Path procMeminfo, CgroupLimits cgroup) {
        this.procMeminfo = procMeminfo;
        this.cgroup = cgroup;
    }

    public static MemorySampler system() {
        return new MemorySampler(Path.of("/proc/meminfo"), CgroupLimits.system());
    }

    public Sample sample() {
        long totalKb = 0;
        long availableKb = -1;
        try {
            for (String line : Files.readAllLines(procMeminfo)) {
                if (line.startsWith("MemTotal:")) {
                    totalKb = kb(line);
                } else if (line.startsWith("MemAvailable:")) {
                    availableKb = kb(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): report what the cgroup says, or nothing
        }
        long hostTotalMb = totalKb / 1024;
        OptionalLong limit = cgroup.memoryMb();
        OptionalLong used = cgroup.memoryUsedMb();
        if (limit.isPresent() && used.isPresent() && (hostTotalMb == 0 || limit.getAsLong() < hostTotalMb)) {
            return new Sample(Math.min(used.getAsLong(), limit.getAsLong()), limit.getAsLong());
        }
        long usedMb = availableKb < 0 ? 0 : Math.max(0, totalKb - availableKb) / 1024;
        return new Sample(usedMb, hostTotalMb);
    }

    private static long kb(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }
}
