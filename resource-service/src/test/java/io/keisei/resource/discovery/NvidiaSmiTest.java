package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;
import io.keisei.resource.FakeNvidiaSmi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** nvidia-smi queried for real, with the fake scripts standing in for the tool. */
class NvidiaSmiTest {

    static NvidiaSmi.Result query(String fixture) {
        return new NvidiaSmi(FakeNvidiaSmi.install(fixture).toString(), Duration.ofSeconds(10)).query();
    }

    @Test
    void oneH100() {
        NvidiaSmi.Result r = query(FakeNvidiaSmi.ONE_GPU);
        assertThat(r.succeeded()).as(r.failure()).isTrue();
        assertThat(r.gpus()).containsExactly(
                new GpuStatus(0, "GPU-5f6b9a3c-0a1e-4b2c-9d3e-6f7a8b9c0d1e", "NVIDIA H100 80GB HBM3", 1, 81559, 0));
    }

    @Test
    void twoGpusWithTheirUse() {
        NvidiaSmi.Result r = query(FakeNvidiaSmi.TWO_GPUS);
        assertThat(r.gpus()).extracting(GpuStatus::index).containsExactly(0, 1);
        assertThat(r.gpus().get(0)).satisfies(g -> {
            assertThat(g.name()).isEqualTo("NVIDIA GeForce RTX 4090");
            assertThat(g.memoryTotalMb()).isEqualTo(24564);
            assertThat(g.memoryUsedMb()).isEqualTo(1187);
            assertThat(g.utilizationPercent()).isEqualTo(37.0);
        });
        assertThat(r.gpus().get(1).uuid()).isEqualTo("GPU-9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4");
    }

    @Test
    void eightH100s() {
        NvidiaSmi.Result r = query(FakeNvidiaSmi.EIGHT_GPUS);
        assertThat(r.gpus()).hasSize(8).allSatisfy(g -> {
            assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(g.memoryTotalMb()).isEqualTo(81559);
        });
        assertThat(r.gpus()).extracting(GpuStatus::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(r.gpus()).extracting(GpuStatus::utilizationPercent).containsExactly(98.0, 97.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        assertThat(r.gpus()).extracting(GpuStatus::uuid).doesNotHaveDuplicates();
    }

    @Test
    void aFailingToolMeansNoGpusAndSaysWhy() {
        NvidiaSmi.Result r = query(FakeNvidiaSmi.FAILS);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.gpus()).isEmpty();
        assertThat(r.failure()).contains("exited with code 9").contains("couldn't communicate with the NVIDIA driver");
    }

    @Test
    void aMissingToolMeansNoGpus() {
        NvidiaSmi.Result r = new NvidiaSmi("/nonexistent/nvidia-smi", Duration.ofSeconds(5)).query();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failure()).contains("cannot run");
    }

    @Test
    @Timeout(60)
    void aHangingToolIsKilledWithItsChildrenAfterTheTimeout() throws Exception {
        Path pids = Files.createTempFile("fake-nvidia-smi-", ".pids");
        Files.delete(pids);
        NvidiaSmi smi = new NvidiaSmi(FakeNvidiaSmi.install(FakeNvidiaSmi.HANGS).toString(), Duration.ofMillis(1500),
                Map.of("FAKE_NVIDIA_SMI_PIDS", pids.toString()));
        NvidiaSmi.Result r = smi.query();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.failure()).contains("did not answer within 1500 ms");
        List<Long> started = Arrays.stream(Files.readString(pids).trim().split(" ")).map(Long::parseLong).toList();
        assertThat(started).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(started).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("process %d still runs", pid).isFalse()));
    }

    @Test
    void aBareNameIsFoundOnThePathGivenToIt() {
        Path fake = FakeNvidiaSmi.install(FakeNvidiaSmi.TWO_GPUS);
        NvidiaSmi smi = new NvidiaSmi("nvidia-smi", Duration.ofSeconds(10),
                Map.of("PATH", fake.getParent() + ":" + System.getenv("PATH")));
        assertThat(smi.query().gpus()).hasSize(2);
    }
}
