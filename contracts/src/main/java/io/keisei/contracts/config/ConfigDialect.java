package io.keisei.contracts.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.Optional;

/**
 * Which config language a trainer speaks. The built-in trainer and the August-2025 Keisei (through its callback
 * bridge) take Keisei 2025's sections ({@link ConfigSchema}); today's {@code keisei-train} takes its TOML document
 * ({@link Keisei2026Schema}). Every session's config is validated, completed and shown in its trainer's dialect.
 */
public enum ConfigDialect {

    KEISEI_2025("keisei-2025", "Keisei 2025 sections (env, training, evaluation, ...): the built-in trainer and the callback bridge") {
        @Override
        public ObjectNode validate(JsonNode user) {
            return ConfigValidator.validate(user).effective();
        }

        @Override
        public ObjectNode defaults() {
            return ConfigSchema.defaults();
        }

        @Override
        public ObjectNode jsonSchema() {
            return ConfigSchema.jsonSchema();
        }
    },

    KEISEI_2026("keisei-2026", "keisei-train 2026 TOML document (model, training, display, run, league, ...)") {
        @Override
        public ObjectNode validate(JsonNode user) {
            return Keisei2026Validator.validate(user);
        }

        @Override
        public ObjectNode defaults() {
            return Keisei2026Schema.defaults();
        }

        @Override
        public ObjectNode jsonSchema() {
            return Keisei2026Schema.jsonSchema();
        }
    };

    private final String wire;
    private final String description;

    ConfigDialect(String wire, String description) {
        this.wire = wire;
        this.description = description;
    }

    /** The name in settings, URLs and JSON, e.g. {@code keisei-2026}. */
    public String wire() {
        return wire;
    }

    public String description() {
        return description;
    }

    public static Optional<ConfigDialect> fromWire(String name) {
        return Arrays.stream(values()).filter(d -> d.wire.equals(name)).findFirst();
    }

    /** A validated, complete config; {@link InvalidConfigException} with every field error otherwise. */
    public abstract ObjectNode validate(JsonNode user);

    /** The trainer's own defaults. */
    public abstract ObjectNode defaults();

    /** A JSON Schema of the config, for forms and external validators. */
    public abstract ObjectNode jsonSchema();
}
