package io.keisei.resource.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** CPU and memory figures computed from fake /proc and cgroup files. */
class SystemSamplersTest {

    static final long MIB = 1024 * 1024;

    @Test
    void cpuIsBusyTimeOverAllTimeBetweenTwoReadingsInTotalAndPerCore(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Path noCgroup = dir.resolve("no-cgroup");
        CpuSampler cpu = new CpuSampler(stat, new CgroupLimits(noCgroup), System::nanoTime);
        //                      user nice system idle iowait irq softirq steal guest guest_nice
        Files.writeString(stat, """
                cpu  1000 0 1000 8000 0 0 0 0 0 0
                cpu0 500 0 500 4000 0 0 0 0 0 0
                cpu1 500 0 500 4000 0 0 0 0 0 0
                intr 1 2 3
                """);
        assertThat(cpu.sample().perCorePercent()).containsExactly(0.0, 0.0);
        // core 0: 900 busy of 1000; core 1: 100 busy (50 iowait counts as idle) of 1000.
        Files.writeString(stat, """
                cpu  1800 100 1100 8950 50 0 0 0 0 0
                cpu0 1200 100 600 4100 0 0 0 0 0 0
                cpu1 600 0 500 4850 50 0 0 0 0 0
                intr 1 2 3
                """);
        CpuSampler.Sample s = cpu.sample();
        assertThat(s.totalPercent()).isEqualTo(50.0);
        assertThat(s.perCorePercent()).containsExactly(90.0, 10.0);
    }

    @Test
    void insideACgroupWithAQuotaTheTotalIsTheShareOfTheQuotaUsed(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat");
        Path cgroup = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(cgroup.resolve("cpu.max"), "200000 100000\n"); // 2 cores
        AtomicLong clock = new AtomicLong();
        CpuSampler cpu = new CpuSampler(stat, new CgroupLimits(cgroup), clock::get);
        Files.writeString(stat, "cpu  0 0 0 100 0 0 0 0\ncpu0 0 0 0 100 0 0 0 0\n");
        Files.writeString(cgroup.resolve("cpu.stat"), "usage_usec 1000000\nuser_usec 900000\nsystem_usec 100000\n");
        cpu.sample();
        // One second later the cgroup has used 1.5 s of CPU: 75 % of its 2 cores; the host looks idle.
        clock.set(1_000_000_000L);
        Files.writeString(stat, "cpu  0 0 0 200 0 0 0 0\ncpu0 0 0 0 200 0 0 0 0\n");
        Files.writeString(cgroup.resolve("cpu.stat"), "usage_usec 2500000\nuser_usec 2300000\nsystem_usec 200000\n");
        CpuSampler.Sample s = cpu.sample();
        assertThat(s.totalPercent()).isEqualTo(75.0);
        assertThat(s.perCorePercent()).containsExactly(0.0);
    }

    @Test
    void hostMemoryIsTotalMinusAvailable(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       16384000 kB\nMemFree:         1000000 kB\nMemAvailable:    4096000 kB\n");
        MemorySampler.Sample s = new MemorySampler(meminfo, new CgroupLimits(dir.resolve("none"))).sample();
        assertThat(s.totalMb()).isEqualTo(16000);
        assertThat(s.usedMb()).isEqualTo(12000);
    }

    @Test
    void insideACgroupWithALimitMemoryIsItsUsageLessInactiveFileCacheAgainstItsLimit(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       16384000 kB\nMemAvailable:    4096000 kB\n");
        Path cgroup = Files.createDirectories(dir.resolve("cgroup"));
        Files.writeString(cgroup.resolve("memory.max"), (4096 * MIB) + "\n");
        Files.writeString(cgroup.resolve("memory.current"), (3000 * MIB) + "\n");
        Files.writeString(cgroup.resolve("memory.stat"), "anon " + (2000 * MIB) + "\ninactive_file " + (1000 * MIB) + "\n");
        MemorySampler.Sample s = new MemorySampler(meminfo, new CgroupLimits(cgroup)).sample();
        assertThat(s.totalMb()).isEqualTo(4096);
        assertThat(s.usedMb()).isEqualTo(2000);
    }

    @Test
    void cgroupV1UsageIsReadToo(@TempDir Path cgroup) throws Exception {
        Files.createDirectories(cgroup.resolve("memory"));
        Files.createDirectories(cgroup.resolve("cpuacct"));
        Files.writeString(cgroup.resolve("memory/memory.usage_in_bytes"), (1500 * MIB) + "\n");
        Files.writeString(cgroup.resolve("memory/memory.stat"), "cache 1\ntotal_inactive_file " + (500 * MIB) + "\n");
        Files.writeString(cgroup.resolve("cpuacct/cpuacct.usage"), "2500000000\n");
        CgroupLimits limits = new CgroupLimits(cgroup);
        assertThat(limits.memoryUsedMb()).hasValue(1000);
        assertThat(limits.cpuUsageMicros()).hasValue(2_500_000);
    }
}
