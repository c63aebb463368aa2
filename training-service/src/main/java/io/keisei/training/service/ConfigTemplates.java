package io.keisei.training.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.config.ConfigSchema;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.training.ConfigTemplate;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named config templates, shipped as JSON resources under {@code templates/}. Each is validated
 * at start-up, so a broken template fails the build's tests rather than a user's session.
 */
@ApplicationScoped
public class ConfigTemplates {

    private static final List<String[]> SHIPPED = List.of(
            new String[]{"quick-cpu", "Quick CPU demo", "A small model that visibly learns within minutes on 2 CPU cores"},
            new String[]{"keisei-defaults", "Keisei defaults", "Keisei's own defaults (ResNet 9x256, 500k steps)"},
            new String[]{"large-gpu", "Large GPU run", "A long run sized for one CUDA GPU"});

    private final Map<String, ConfigTemplate> templates = new LinkedHashMap<>();

    public ConfigTemplates(ObjectMapper json) {
        for (String[] t : SHIPPED) {
            try (InputStream in = getClass().getResourceAsStream("/templates/" + t[0] + ".json")) {
                if (in == null) {
                    throw new IllegalStateException("missing template resource " + t[0]);
                }
                ObjectNode partial = (ObjectNode) json.readTree(in);
                ObjectNode effective = ConfigValidator.validate(partial).effective();
                templates.put(t[0], new ConfigTemplate(t[0], t[1], t[2], effective));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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

    public ObjectNode defaults() {
        return ConfigSchema.defaults();
    }
}
