package io.keisei.resource.discovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CgroupLimitsTest {

    @Test
    void readsCgroupV2Limits(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cpu.max"), "150000 100000\n");
        Files.writeString(root.resolve("memory.max"), String.valueOf(4L * 1024 * 1024 * 1024) + "\n");
        CgroupLimits limits = new CgroupLimits(root);
        assertThat(limits.cpuMillis()).hasValue(1500);
        assertThat(limits.memoryMb()).hasValue(4096);
    }

    @Test
    void unlimitedV2MeansNoLimit(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("cpu.max"), "max 100000\n");
        Files.writeString(root.resolve("memory.max"), "max\n");
        CgroupLimits limits = new CgroupLimits(root);
        assertThat(limits.cpuMillis()).isEmpty();
        assertThat(limits.memoryMb()).isEmpty();
    }

    @Test
    void readsCgroupV1Limits(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("cpu"));
        Files.createDirectories(root.resolve("memory"));
        Files.writeString(root.resolve("cpu/cpu.cfs_quota_us"), "200000\n");
        Files.writeString(root.resolve("cpu/cpu.cfs_period_us"), "100000\n");
        Files.writeString(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        CgroupLimits limits = new CgroupLimits(root);
        assertThat(limits.cpuMillis()).hasValue(2000);
        assertThat(limits.memoryMb()).isEmpty();
    }

    @Test
    void noCgroupFilesMeansNoLimits(@TempDir Path root) {
        CgroupLimits limits = new CgroupLimits(root);
        assertThat(limits.cpuMillis()).isEmpty();
        assertThat(limits.memoryMb()).isEmpty();
    }
}
