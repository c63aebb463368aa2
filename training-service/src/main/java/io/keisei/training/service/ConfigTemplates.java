package io.keisei.training.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.training.launcher.TrainerProgram;
import io.keisei.training.launcher.TrainerPrograms;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named config templates, shipped as JSON resources under {@code templates/}. Each is validated in its dialect at
 * start-up, so a broken template fails the build's tests rather than a user's session.
 */
@ApplicationScoped
public class ConfigTemplates {

    private record Shipped(String name, String title, String description, String trainer, ConfigDialect dialect) {
    }

    private static final List<Shipped> SHIPPED = List.of(
            new Shipped("quick-cpu", "Quick CPU demo", "A small model that visibly learns within minutes on 2 CPU cores",
                    TrainerProgram.BUILTIN, ConfigDialect.KEISEI_2025),
            new Shipped("keisei-defaults", "Keisei defaults", "Keisei's own defaults (ResNet 9x256, 500k steps)",
                    TrainerProgram.BUILTIN, ConfigDialect.KEISEI_2025),
            new Shipped("large-gpu", "Large GPU run", "A long run sized for one CUDA GPU",
                    TrainerProgram.BUILTIN, ConfigDialect.KEISEI_2025),
            new Shipped("keisei-2026", "keisei-2026 (SE-ResNet, single GPU)",
                    "Today's Keisei (keisei-train, TOML): SE-ResNet b40c256 KataGo PPO on one GPU, as Keisei's keisei-katago.toml",
                    "keisei-2026", ConfigDialect.KEISEI_2026),
            new Shipped("keisei-2025", "keisei-2025 (callback bridge)",
                    "The August-2025 Keisei (train.py) with its defaults, through the callback bridge, display off",
                    "keisei-2025", ConfigDialect.KEISEI_2025));

    private final Map<String, ConfigTemplate> templates = new LinkedHashMap<>();

    public ConfigTemplates(ObjectMapper json, TrainerPrograms trainers) {
        for (Shipped t : SHIPPED) {
            try (InputStream in = getClass().getResourceAsStream("/templates/" + t.name() + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("missing template resource " + t.name());
                }
                ObjectNode effective = t.dialect().validate(json.readTree(in));
                Optional<String> trainer = t.trainer().equals(TrainerProgram.BUILTIN) ? Optional.of(TrainerProgram.BUILTIN)
                        : registeredTrainer(trainers, t.trainer(), t.dialect());
                templates.put(t.name(), new ConfigTemplate(t.name(), t.title(), t.description(), trainer.orElse(t.trainer()),
                        t.dialect().wire(), trainer.isPresent(), effective));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The custom trainer a template of {@code dialect} runs on: the one of its suggested name, else the first registered
     * in that dialect. Operators may name trainers as they like (an environment variable cannot spell "keisei-2026").
     */
    private static Optional<String> registeredTrainer(TrainerPrograms trainers, String suggested, ConfigDialect dialect) {
        List<TrainerProgram> custom = trainers.all().stream().filter(p -> !p.isBuiltin() && p.dialect() == dialect).toList();
        return custom.stream().map(TrainerProgram::name).filter(suggested::equals).findFirst()
                .or(() -> custom.stream().map(TrainerProgram::name).findFirst());
    }

    public List<ConfigTemplate> all() {
        return List.copyOf(templates.values());
    }

    public ConfigTemplate get(String name) {
        ConfigTemplate t = templates.get(name);
        if (t == null) {
            throw ProblemException.badRequest("template", "unknown template '" + name + "' (known: "
                    + String.join(", ", templates.keySet()) + ")");
        }
        return t;
    }
}
