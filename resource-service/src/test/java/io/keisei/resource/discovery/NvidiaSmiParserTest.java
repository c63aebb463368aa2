package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NvidiaSmiParserTest {

    @Test
    void valuesTheToolCannotReportReadAsZeroAndTheGpuStays() {
        // MIG mode reports no utilisation; some consumer boards no memory use.
        String out = "0, GPU-aa, NVIDIA A100-SXM4-80GB, 81920, [N/A], [N/A]\r\n1, GPU-bb, NVIDIA A100-SXM4-80GB, 81920, 12, [Not Supported]\n\n";
        assertThat(NvidiaSmiParser.parse(out)).containsExactly(
                new GpuStatus(0, "GPU-aa", "NVIDIA A100-SXM4-80GB", 0, 81920, 0),
                new GpuStatus(1, "GPU-bb", "NVIDIA A100-SXM4-80GB", 12, 81920, 0));
    }

    @Test
    void aNameWithACommaIsKeptWhole() {
        assertThat(NvidiaSmiParser.parse("3, GPU-cc, Tesla V100, PCIe 32GB, 32768, 5, 1").get(0))
                .isEqualTo(new GpuStatus(3, "GPU-cc", "Tesla V100, PCIe 32GB", 5, 32768, 1));
    }

    @Test
    void linesAreSortedByIndexAndNoOutputMeansNoGpus() {
        assertThat(NvidiaSmiParser.parse("1, GPU-b, X, 10, 1, 1\n0, GPU-a, X, 10, 1, 1")).extracting(GpuStatus::index)
                .containsExactly(0, 1);
        assertThat(NvidiaSmiParser.parse("")).isEmpty();
    }

    @Test
    void somethingElseThanTheQueryIsRejected() {
        assertThatThrownBy(() -> NvidiaSmiParser.parse("No devices were found, sorry"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NvidiaSmiParser.parse("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-x), a, b, c, d, e"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index");
    }
}
