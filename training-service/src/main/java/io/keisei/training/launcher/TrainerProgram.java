package io.keisei.training.launcher;

import io.keisei.contracts.config.ConfigDialect;

import java.util.List;

/**
 * Which trainer runs an attempt: the built-in shogi-trainer, or a custom trainer from the
 * allow-list with its argument template ({@code {config}}, {@code {session}}, ... placeholders).
 *
 * @param template the custom trainer's command, one argument per element; empty for the built-in one
 * @param dialect  the config language the trainer reads
 */
public record TrainerProgram(String name, List<String> template, ConfigDialect dialect) {

    public static final String BUILTIN = "builtin";

    public TrainerProgram {
        template = template == null ? List.of() : List.copyOf(template);
        dialect = dialect == null ? ConfigDialect.KEISEI_2025 : dialect;
    }

    public TrainerProgram(String name, List<String> template) {
        this(name, template, ConfigDialect.KEISEI_2025);
    }

    public static TrainerProgram builtin() {
        return new TrainerProgram(BUILTIN, List.of(), ConfigDialect.KEISEI_2025);
    }

    public boolean isBuiltin() {
        return BUILTIN.equals(name);
    }
}
