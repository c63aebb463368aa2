package io.keisei.resource.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the CPU and memory limits (and usage) of the cgroup this process runs in (v2 first, then
 * v1), because a container's limits, not the host's hardware, bound what trainers may use.
 */
public final class CgroupLimits {

    private final Path root;

    public CgroupLimits(Path root) {
        this.root = root;
    }

    public static CgroupLimits system() {
        return new CgroupLimits(Path.of("/sys/fs/cgroup"));
    }

    /** The CPU quota in millicores, when one is set. */
    public OptionalLong cpuMillis() {
        String v2 = read(root.resolve("cpu.max"));
        if (v2 != null) {
            String[] parts = v2.trim().split("\\s+");
            if (parts.length == 2 && !"max".equals(parts[0])) {
                return OptionalLong.of(Long.parseLong(parts[0]) * 1000 / Long.parseLong(parts[1]));
            }
            return OptionalLong.empty();
        }
        String quota = read(root.resolve("cpu/cpu.cfs_quota_us"));
        String period = read(root.resolve("cpu/cpu.cfs_period_us"));
        if (quota != null && period != null && Long.parseLong(quota.trim()) > 0) {
            return OptionalLong.of(Long.parseLong(quota.trim()) * 1000 / Long.parseLong(period.trim()));
        }
        return OptionalLong.empty();
    }

    /** The memory limit in MiB, when one is set. */
    public OptionalLong memoryMb() {
        String v2 = read(root.resolve("memory.max"));
        if (v2 != null) {
            String s = v2.trim();
            return "max".equals(s) ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s) / (1024 * 1024));
        }
        String v1 = read(root.resolve("memory/memory.limit_in_bytes"));
        if (v1 != null) {
            long bytes = Long.parseLong(v1.trim());
            // cgroup v1 reports "unlimited" as a huge page-aligned number.
            return bytes >= Long.MAX_VALUE / 2 ? OptionalLong.empty() : OptionalLong.of(bytes / (1024 * 1024));
        }
        return OptionalLong.empty();
    }

    /** CPU time this cgroup has used in all, in microseconds (v2 cpu.stat usage_usec, v1 cpuacct.usage). */
    public OptionalLong cpuUsageMicros() {
        String v2 = read(root.resolve("cpu.stat"));
        if (v2 != null) {
            return field(v2, "usage_usec");
        }
        String v1 = read(root.resolve("cpuacct/cpuacct.usage"));
        if (v1 != null) {
            return OptionalLong.of(Long.parseLong(v1.trim()) / 1000);
        }
        return OptionalLong.empty();
    }

    /**
     * Memory this cgroup uses in MiB, as container tools count it: usage minus inactive file cache
     * (which the kernel reclaims before it would enforce the limit).
     */
    public OptionalLong memoryUsedMb() {
        String current = read(root.resolve("memory.current"));
        String stat = read(root.resolve("memory.stat"));
        String inactiveField = "inactive_file";
        if (current == null) {
            current = read(root.resolve("memory/memory.usage_in_bytes"));
            stat = read(root.resolve("memory/memory.stat"));
            inactiveField = "total_inactive_file";
        }
        if (current == null) {
            return OptionalLong.empty();
        }
        long used = Long.parseLong(current.trim());
        if (stat != null) {
            used -= field(stat, inactiveField).orElse(0);
        }
        return OptionalLong.of(Math.max(0, used) / (1024 * 1024));
    }

    /** The value of "name value" in a flat-keyed cgroup file such as cpu.stat or memory.stat. */
    private static OptionalLong field(String content, String name) {
        for (String line : content.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals(name)) {
                try {
                    return OptionalLong.of(Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static String read(Path p) {
        try {
            return Files.isReadable(p) ? Files.readString(p) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
