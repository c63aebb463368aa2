package io.keisei.resource;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reasons a request waits or can never fit, worded as the dashboard and the CLI write amounts. */
class ResourcesTest {

    @Test
    void cpuIsWrittenInCoresNeverInMillicores() {
        assertThat(Resources.cpu(1000)).isEqualTo("1 CPU");
        assertThat(Resources.cpu(500)).isEqualTo("0.5 CPU");
        assertThat(Resources.cpu(1250)).isEqualTo("1.25 CPU");
        assertThat(Resources.cpu(4000)).isEqualTo("4 CPU");
        assertThat(Resources.cpu(1)).isEqualTo("0.001 CPU");
        assertThat(Resources.cpu(0)).isEqualTo("0 CPU");
    }

    @Test
    void shortfallsAndExcessesSayCpuInCores() {
        Resources need = new Resources(1500, 8000, 1);
        assertThat(need.shortfalls(new Resources(500, 7168, 0), new Resources(4000, 8192, 2))).containsExactly(
                "needs 1.5 CPU, 0.5 of 4 CPU free", "needs 8000 MiB memory, 7168 of 8192 MiB free", "needs 1 GPU, 0 of 2 free");
        assertThat(new Resources(9000, 1, 0).excesses("p", new Resources(4000, 8192, 2)))
                .containsExactly("needs 9 CPU but pool 'p' has 4 CPU in all");
        assertThat(need.shortfalls(new Resources(4000, 8192, 2), new Resources(4000, 8192, 2))).isEmpty();
    }
}
