package io.keisei.training.launcher;

import io.keisei.common.rest.ProblemException;
import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** The trainers a session may use: the built-in one and the custom ones of the configured allow-list. */
@ApplicationScoped
public class TrainerPrograms {

    private final TrainingServiceConfig config;

    public TrainerPrograms(TrainingServiceConfig config) {
        this.config = config;
    }

    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        names.add(TrainerProgram.BUILTIN);
        names.addAll(config.trainer().custom().keySet());
        return names;
    }

    public void requireKnown(String trainer) {
        if (!names().contains(trainer)) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "' (allowed: " + String.join(", ", names()) + ")");
        }
    }

    /** The program of a trainer name; users pick a name, never a command. */
    public TrainerProgram program(String trainer) {
        if (TrainerProgram.BUILTIN.equals(trainer)) {
            return TrainerProgram.builtin();
        }
        String template = config.trainer().custom().get(trainer);
        if (template == null) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "'");
        }
        return new TrainerProgram(trainer, Arrays.stream(template.trim().split("\\s+")).toList());
    }
}
