package io.keisei.training.launcher;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The trainers a session may use: the built-in one and the custom ones of the configured allow-list. */
@ApplicationScoped
public class TrainerPrograms {

    private final Map<String, String> custom;
    private final Map<String, ConfigDialect> dialects;

    public TrainerPrograms(TrainingServiceConfig config) {
        this.custom = Map.copyOf(config.trainer().custom());
        this.dialects = dialects(config.trainer().dialect(), custom);
    }

    /** Checked at start-up: a misspelt dialect or trainer name would otherwise surface only when a session starts. */
    private static Map<String, ConfigDialect> dialects(Map<String, String> configured, Map<String, String> custom) {
        Map<String, ConfigDialect> out = new java.util.HashMap<>();
        configured.forEach((trainer, name) -> {
            if (!custom.containsKey(trainer)) {
                throw new IllegalStateException("keisei.training.trainer.dialect." + trainer + " names no custom trainer (custom: "
                        + String.join(", ", custom.keySet()) + ")");
            }
            out.put(trainer, ConfigDialect.fromWire(name.strip()).orElseThrow(() -> new IllegalStateException(
                    "keisei.training.trainer.dialect." + trainer + "=" + name + ": unknown dialect (known: "
                            + String.join(", ", Arrays.stream(ConfigDialect.values()).map(ConfigDialect::wire).toList()) + ")")));
        });
        return Map.copyOf(out);
    }

    /** Every trainer, the built-in one first. */
    public List<TrainerProgram> all() {
        List<TrainerProgram> all = new ArrayList<>();
        all.add(TrainerProgram.builtin());
        custom.keySet().stream().sorted().forEach(name -> all.add(program(name)));
        return all;
    }

    public List<String> names() {
        return all().stream().map(TrainerProgram::name).toList();
    }

    public void requireKnown(String trainer) {
        if (!names().contains(trainer)) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "' (allowed: " + String.join(", ", names())
                    + "); custom trainers are registered by the operator (keisei.training.trainer.custom.<name>)");
        }
    }

    /** The program of a trainer name; users pick a name, never a command. */
    public TrainerProgram program(String trainer) {
        if (TrainerProgram.BUILTIN.equals(trainer)) {
            return TrainerProgram.builtin();
        }
        String template = custom.get(trainer);
        if (template == null) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "'");
        }
        return new TrainerProgram(trainer, Arrays.stream(template.trim().split("\\s+")).toList(),
                dialects.getOrDefault(trainer, ConfigDialect.KEISEI_2025));
    }
}
