package io.keisei.resource.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * CPU utilisation from the differences between two readings of /proc/stat: busy time over all time,
 * in total and per core. Inside a cgroup with a CPU quota, the total is the cgroup's own usage as a
 * share of its quota (what the container may use), since the host's /proc/stat counts every
 * container's work; per-core figures stay the host's cores (a cgroup has no per-core accounting).
 * Not thread-safe: one sampler, one caller.
 */
public final class CpuSampler {

    /** One sample: percentages in 0..100. */
    public record Sample(double totalPercent, List<Double> perCorePercent) {
    }

    private final Path procStat;
    private final CgroupLimits cgroup;
    private final LongSupplier nanoClock;
    private long[][] previous;
    private long previousCgroupMicros = -1;
    private long previousNanos;

    public CpuSampler(Path procStat, CgroupLimits cgroup, LongSupplier nanoClock) {
        this.procStat = procStat;
        this.cgroup = cgroup;
        this.nanoClock = nanoClock;
    }

    public static CpuSampler system() {
        return new CpuSampler(Path.of("/proc/stat"), CgroupLimits.system(), System::nanoTime);
    }

    /** Utilisation since the previous call (the first call reports 0: there is nothing to compare yet). */
    public Sample sample() {
        long[][] now = read();
        long nanos = nanoClock.getAsLong();
        OptionalLong cgroupMicros = cgroup.cpuUsageMicros();
        OptionalLong quotaMillis = cgroup.cpuMillis();
        double total = 0;
        List<Double> perCore = new ArrayList<>();
        if (previous != null && now.length > 0) {
            total = percent(previous[0], now[0]);
            for (int i = 1; i < now.length && i < previous.length; i++) {
                perCore.add(percent(previous[i], now[i]));
            }
            if (quotaMillis.isPresent() && cgroupMicros.isPresent() && previousCgroupMicros >= 0 && nanos > previousNanos) {
                double usedMicros = cgroupMicros.getAsLong() - previousCgroupMicros;
                double allowedMicros = (nanos - previousNanos) / 1000.0 * quotaMillis.getAsLong() / 1000.0;
                total = clamp(100.0 * usedMicros / allowedMicros);
            }
        } else {
            for (int i = 1; i < now.length; i++) {
                perCore.add(0.0);
            }
        }
        previous = now;
        previousNanos = nanos;
        previousCgroupMicros = cgroupMicros.orElse(-1);
        return new Sample(round(total), perCore.stream().map(CpuSampler::round).toList());
    }

    /** Row 0: the "cpu" line; rows 1..n: "cpu0".."cpuN-1". Each row: busy and total jiffies. */
    private long[][] read() {
        List<long[]> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procStat)) {
                if (!line.startsWith("cpu")) {
                    break; // the cpu lines come first
                }
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal (guest time is already in user and nice)
                long total = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                rows.add(new long[]{total - idle, total});
            }
        } catch (IOException | RuntimeException e) {
            return new long[0][];
        }
        return rows.toArray(long[][]::new);
    }

    private static double percent(long[] before, long[] after) {
        long total = after[1] - before[1];
        long busy = after[0] - before[0];
        return total <= 0 ? 0 : clamp(100.0 * busy / total);
    }

    private static double clamp(double p) {
        return Math.max(0, Math.min(100, p));
    }

    private static double round(double p) {
        return Math.round(p * 10) / 10.0;
    }
}
