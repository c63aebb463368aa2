package io.keisei.resource.service;

import io.keisei.contracts.api.ResourceEstimate;
import io.keisei.contracts.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Estimates what a validated Keisei config needs. The formula (also in docs/resource-estimates.md):
 *
 * <pre>
 * cpuMillis = 1000 (learner: self-play and PPO in one process)
 *           + parallel.num_workers x 1000            when parallel.enabled
 * gpus      = 1 when env.device = cuda, else 0
 * memoryMb  = runtime base                             1024 MiB on CPU, 2048 MiB with CUDA (context, cuDNN)
 *           + parameters x 4 B x 4                     weights, gradients, Adam's two moments (float32)
 *           + minibatch_size x activations x b         b = 4 B (2 B with mixed_precision): what the
 *                                                      forward pass keeps for the backward pass
 *           + steps_per_epoch x (input_channels x 81 x 4 B + num_actions_total x 1 B + 6 x 4 B)
 *                                                      experience buffer: observation, legal-move mask,
 *                                                      action, reward, value, log-prob, done, advantage
 *           + parallel.num_workers x (512 MiB + parameters x 4 B)   when parallel.enabled
 * </pre>
 *
 * Parameters, with W = tower_width, D = tower_depth, C = input_channels, A = num_actions_total,
 * h = max(1, floor(W x se_ratio)) (no SE block when se_ratio = 0):
 * <pre>
 * resnet: stem 3x3 conv + BN      9CW + W + 2W
 *         D residual blocks       D x (2 x 9W^2 + 4W + [SE] (2Wh + h + W))
 *         policy head             2W + 2 + 4 + 2 x 81 x A + A   (1x1 conv to 2 planes, BN, linear)
 *         value head              2W + 2 + 4 + 2 x 81 + 1
 * mlp:    (built-in trainer, 2,284 sparse features F)
 *         FW + W + (D - 1)(W^2 + W) + WA + A + W + 1
 * </pre>
 * Activations kept per sample: resnet 3 x 81W (stem) + D x 8 x 81W (two convs, two BNs, SE scale,
 * sum, two ReLUs) + 2 x 3 x 2 x 81 (heads) + 3A + 2 (policy logits, log-softmax, probabilities,
 * value); mlp F + 2DW + 3A + 2.
 */
@ApplicationScoped
public class ResourceEstimator {

    static final long MIB = 1024L * 1024L;
    static final int BOARD = 81;
    static final long LEARNER_CPU_MILLIS = 1000;
    static final long WORKER_CPU_MILLIS = 1000;
    static final long RUNTIME_BASE_CPU_MB = 1024;
    static final long RUNTIME_BASE_CUDA_MB = 2048;
    static final long WORKER_BASE_MB = 512;
    static final int STATE_COPIES = 4;
    static final int FLOAT_BYTES = 4;
    static final int BUFFER_SCALARS = 6;
    /** Sparse input features of the built-in trainer's MLP (28 x 81 piece planes + 14 hand + 2). */
    static final int MLP_FEATURES = 2284;

    public ResourceEstimate estimate(TrainingConfig config) {
        TrainingConfig.Training t = config.training();
        TrainingConfig.Env env = config.env();
        boolean cuda = "cuda".equals(env.device());
        long params = parameters(t, env.inputChannels(), env.numActionsTotal());
        List<ResourceEstimate.Item> items = new ArrayList<>();

        items.add(new ResourceEstimate.Item("learner", LEARNER_CPU_MILLIS, 0, 0,
                "one process: self-play collection and PPO updates, 1 core"));
        long base = cuda ? RUNTIME_BASE_CUDA_MB : RUNTIME_BASE_CPU_MB;
        items.add(new ResourceEstimate.Item("runtime", 0, base, 0,
                "Python + PyTorch runtime base" + (cuda ? " with a CUDA context" : "") + ": " + base + " MiB"));
        long stateBytes = params * FLOAT_BYTES * STATE_COPIES;
        items.add(new ResourceEstimate.Item("model state", 0, mib(stateBytes), 0,
                String.format("%,d parameters x 4 B x 4 (weights, gradients, Adam m and v)", params)));
        int elementBytes = t.mixedPrecision() ? 2 : FLOAT_BYTES;
        long perSample = activationsPerSample(t, env.numActionsTotal());
        long activationBytes = (long) t.minibatchSize() * perSample * elementBytes;
        items.add(new ResourceEstimate.Item("activations", 0, mib(activationBytes), 0,
                String.format("minibatch %,d x %,d values kept for backward x %d B", t.minibatchSize(), perSample,
                        elementBytes)));
        long perStep = (long) env.inputChannels() * BOARD * FLOAT_BYTES + env.numActionsTotal() + BUFFER_SCALARS * FLOAT_BYTES;
        long bufferBytes = (long) t.stepsPerEpoch() * perStep;
        items.add(new ResourceEstimate.Item("experience buffer", 0, mib(bufferBytes), 0,
                String.format("%,d steps x %,d B (observation %dx9x9 float32, legal-move mask %,d B, 6 scalars)",
                        t.stepsPerEpoch(), perStep, env.inputChannels(), env.numActionsTotal())));
        if (config.parallel().enabled()) {
            int n = config.parallel().numWorkers();
            long workerMb = WORKER_BASE_MB + mib(params * FLOAT_BYTES);
            items.add(new ResourceEstimate.Item("parallel workers", n * WORKER_CPU_MILLIS, n * workerMb, 0,
                    n + " workers x (1 core, " + WORKER_BASE_MB + " MiB runtime + a float32 copy of the weights)"));
        }
        if (cuda) {
            items.add(new ResourceEstimate.Item("gpu", 0, 0, 1, "env.device = cuda: one whole GPU"));
        }

        long cpu = items.stream().mapToLong(ResourceEstimate.Item::cpuMillis).sum();
        long memory = items.stream().mapToLong(ResourceEstimate.Item::memoryMb).sum();
        int gpus = items.stream().mapToInt(ResourceEstimate.Item::gpus).sum();
        long gpuMemory = cuda ? mib(stateBytes) + mib(activationBytes) + mib(bufferBytes) : 0;
        return new ResourceEstimate(cpu, memory, gpus, gpuMemory, params, env.device(), t.modelType(), List.copyOf(items));
    }

    /** The model's parameter count (see the class comment). */
    public static long parameters(TrainingConfig.Training t, int inputChannels, int actions) {
        long w = t.towerWidth();
        long d = t.towerDepth();
        if ("mlp".equals(t.modelType())) {
            return MLP_FEATURES * w + w + (d - 1) * (w * w + w) + w * actions + actions + w + 1;
        }
        long stem = 9L * inputChannels * w + w + 2 * w;
        long se = 0;
        if (t.seRatio() > 0) {
            long h = Math.max(1, (long) Math.floor(w * t.seRatio()));
            se = 2 * w * h + h + w;
        }
        long block = 2 * 9 * w * w + 4 * w + se;
        long policy = 2 * w + 2 + 4 + 2L * BOARD * actions + actions;
        long value = 2 * w + 2 + 4 + 2L * BOARD + 1;
        return stem + d * block + policy + value;
    }

    /** Values per sample that the forward pass keeps for the backward pass (see the class comment). */
    public static long activationsPerSample(TrainingConfig.Training t, int actions) {
        long w = t.towerWidth();
        long d = t.towerDepth();
        if ("mlp".equals(t.modelType())) {
            return MLP_FEATURES + 2 * d * w + 3L * actions + 2;
        }
        return 3 * BOARD * w + d * 8 * BOARD * w + 2 * 3 * 2 * BOARD + 3L * actions + 2;
    }

    private static long mib(long bytes) {
        return (bytes + MIB - 1) / MIB;
    }
}
