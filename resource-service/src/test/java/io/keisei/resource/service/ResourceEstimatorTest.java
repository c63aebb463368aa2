package io.keisei.resource.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.api.ResourceEstimate;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.contracts.config.TrainingConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceEstimatorTest {

    final ResourceEstimator estimator = new ResourceEstimator();

    static TrainingConfig config(String json) throws Exception {
        return ConfigValidator.validate(new ObjectMapper().readTree(json));
    }

    @Test
    void parameterCountOfASmallResnetByHand() throws Exception {
        TrainingConfig c = config("{\"training\":{\"tower_width\":4,\"tower_depth\":1,\"se_ratio\":0.5}}");
        // stem 9*46*4 + 4 + 8 = 1668; block 2*9*16 + 16 + SE(h=2: 2*4*2 + 2 + 4 = 22) = 326;
        // policy 8 + 2 + 4 + 2*81*13527 + 13527 = 2,204,915; value 8 + 2 + 4 + 162 + 1 = 177
        assertThat(ResourceEstimator.parameters(c.training(), 46, 13527)).isEqualTo(1668 + 326 + 2_204_915 + 177);
    }

    @Test
    void theBuiltInMlpMatchesItsDocumentedSize() throws Exception {
        TrainingConfig c = config("{\"training\":{\"model_type\":\"mlp\",\"tower_width\":128,\"tower_depth\":2}}");
        // shogi-trainer documents "about 2.06 M parameters" for width 128, depth 2.
        assertThat(ResourceEstimator.parameters(c.training(), 46, 13527)).isBetween(2_000_000L, 2_100_000L);
    }

    @Test
    void defaultConfigOnCpu() throws Exception {
        ResourceEstimate e = estimator.estimate(config("{}"));
        assertThat(e.device()).isEqualTo("cpu");
        assertThat(e.gpus()).isZero();
        assertThat(e.gpuMemoryMb()).isZero();
        assertThat(e.cpuMillis()).isEqualTo(1000);
        assertThat(e.parameters()).isBetween(13_000_000L, 13_500_000L);
        assertThat(item(e, "model state").memoryMb()).isEqualTo((e.parameters() * 16 + (1 << 20) - 1) >> 20);
        assertThat(item(e, "experience buffer").memoryMb()).isEqualTo((2048L * (46 * 81 * 4 + 13527 + 24) + (1 << 20) - 1) >> 20);
        assertThat(item(e, "runtime").memoryMb()).isEqualTo(1024);
        assertThat(e.memoryMb()).isEqualTo(e.breakdown().stream().mapToLong(ResourceEstimate.Item::memoryMb).sum());
        assertThat(e.breakdown()).extracting(ResourceEstimate.Item::component)
                .containsExactly("learner", "runtime", "model state", "activations", "experience buffer");
    }

    @Test
    void cudaAsksForOneGpuAndMixedPrecisionHalvesActivations() throws Exception {
        ResourceEstimate full = estimator.estimate(config("{\"env\":{\"device\":\"cuda\"}}"));
        ResourceEstimate half = estimator.estimate(config("{\"env\":{\"device\":\"cuda\"},\"training\":{\"mixed_precision\":true}}"));
        assertThat(full.gpus()).isEqualTo(1);
        assertThat(item(full, "runtime").memoryMb()).isEqualTo(2048);
        assertThat(full.gpuMemoryMb()).isEqualTo(item(full, "model state").memoryMb() + item(full, "activations").memoryMb()
                + item(full, "experience buffer").memoryMb());
        assertThat(item(half, "activations").memoryMb()).isBetween(item(full, "activations").memoryMb() / 2,
                item(full, "activations").memoryMb() / 2 + 1);
    }

    @Test
    void parallelWorkersAddACoreAndAWeightsCopyEach() throws Exception {
        ResourceEstimate e = estimator.estimate(config("{\"parallel\":{\"enabled\":true,\"num_workers\":3}}"));
        assertThat(e.cpuMillis()).isEqualTo(4000);
        assertThat(item(e, "parallel workers").memoryMb()).isEqualTo(3 * (512 + ((e.parameters() * 4 + (1 << 20) - 1) >> 20)));
    }

    @Test
    void largestModelsDoNotOverflow() throws Exception {
        ResourceEstimate e = estimator.estimate(config("{\"training\":{\"tower_width\":4096,\"tower_depth\":64,"
                + "\"steps_per_epoch\":1000000,\"minibatch_size\":1000000}}"));
        assertThat(e.memoryMb()).isPositive();
        assertThat(e.parameters()).isGreaterThan(19_000_000_000L);
    }

    static ResourceEstimate.Item item(ResourceEstimate e, String component) {
        return e.breakdown().stream().filter(i -> i.component().equals(component)).findFirst().orElseThrow();
    }
}
