package io.keisei.trainer.learn;

/**
 * Learning-rate schedules, evaluated once per PPO update (one update = one {@code runEpoch}).
 * With {@code u} updates already done and {@code U = max(1, totalTimesteps / stepsPerEpoch)}
 * planned, the rate used by the next update is:
 * <ul>
 *   <li>{@code none}: {@code lr};</li>
 *   <li>{@code linear}: {@code lr * max(0.1, 1 - 0.9 * u / U)} (decays to 10 % of lr at the planned end,
 *       then stays there);</li>
 *   <li>{@code cosine}: {@code lr * 0.5 * (1 + cos(pi * min(u, U) / U))} (reaches 0 at the end, like
 *       PyTorch's CosineAnnealingLR with eta_min 0);</li>
 *   <li>{@code exponential}: {@code lr * 0.995^u} (PyTorch ExponentialLR with gamma 0.995);</li>
 *   <li>{@code step}: {@code lr * 0.5^floor(u / max(1, U / 4))} (halves every quarter of the run).</li>
 * </ul>
 */
public final class LrSchedule {
    private LrSchedule() {
    }

    static boolean isKnown(String type) {
        return switch (type) {
            case "none", "linear", "cosine", "exponential", "step" -> true;
            default -> false;
        };
    }

    /** Planned number of updates of a run. */
    public static long plannedUpdates(LearnerSettings s) {
        return Math.max(1L, s.totalTimesteps() / s.stepsPerEpoch());
    }

    /** The learning rate of the update that follows {@code updatesDone} completed updates. */
    public static double rate(LearnerSettings s, long updatesDone) {
        double lr = s.learningRate();
        long total = plannedUpdates(s);
        double progress = Math.min(1.0, updatesDone / (double) total);
        return switch (s.lrScheduleType()) {
            case "linear" -> lr * Math.max(0.1, 1.0 - 0.9 * progress);
            case "cosine" -> lr * 0.5 * (1.0 + Math.cos(Math.PI * progress));
            case "exponential" -> lr * Math.pow(0.995, updatesDone);
            case "step" -> lr * Math.pow(0.5, Math.floor(updatesDone / (double) Math.max(1L, total / 4)));
            default -> lr;
        };
    }
}
