package io.keisei.resource.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads the CPU and memory limits of the cgroup this process runs in (v2 first, then v1),
 * because a container's limits, not the host's hardware, bound what trainers may use.
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

    private static String read(Path p) {
        try {
            return Files.isReadable(p) ? Files.readString(p) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
