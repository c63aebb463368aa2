package io.keisei.training.launcher;

import java.util.List;

/**
 * Which trainer runs an attempt: the built-in shogi-trainer, or a custom trainer from the
 * allow-list with its argument template ({@code {config}}, {@code {session}}, ... placeholders).
 *
 * @param template the custom trainer's command, one argument per element; empty for the built-in one
 */
public record TrainerProgram(String name, List<String> template) {

    public static final String BUILTIN = "builtin";

    public TrainerProgram {
        template = template == null ? List.of() : List.copyOf(template);
    }

    public static TrainerProgram builtin() {
        return new TrainerProgram(BUILTIN, List.of());
    }

    public boolean isBuiltin() {
        return BUILTIN.equals(name);
    }
}
