package io.keisei.training.launcher;

import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Picks the trainer launcher from {@code keisei.training.launcher} ({@code process} or {@code kubernetes}). */
@ApplicationScoped
public class TrainerLaunchers {

    @Produces
    @ApplicationScoped
    TrainerLauncher launcher(TrainingServiceConfig config, Instance<ProcessTrainerLauncher> process,
                             Instance<KubernetesJobLauncher> kubernetes) {
        return switch (config.launcher()) {
            case "process" -> process.get();
            case "kubernetes" -> kubernetes.get();
            default -> throw new IllegalStateException(
                    "keisei.training.launcher must be 'process' or 'kubernetes', not '" + config.launcher() + "'");
        };
    }
}
