package io.keisei.cli;

import io.keisei.cli.commands.CompletionCommand;
import io.keisei.cli.commands.ConfigCommand;
import io.keisei.cli.commands.LoginCommand;
import io.keisei.cli.commands.LogoutCommand;
import io.keisei.cli.commands.MetricsCommand;
import io.keisei.cli.commands.ModelsCommand;
import io.keisei.cli.commands.ResourcesCommand;
import io.keisei.cli.commands.SessionsCommand;
import io.keisei.cli.commands.TokensCommand;
import io.keisei.cli.commands.WhoamiCommand;
import picocli.CommandLine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The top-level commands, in the order --help lists them. picocli builds its model of a command by reflection,
 * and every command is a fresh JVM, so only the command asked for is registered (a third of the parse's time);
 * all of them when none is named, for a typo's suggestions, and for the completion script, which covers the tree.
 */
final class TopLevelCommands {

    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();
    /** The root's options that take a value: the word after them is that value, not a command. */
    private static final Set<String> WITH_VALUE = Set.of("--url", "--token", "-o", "--output");

    static {
        ALL.put("login", LoginCommand::new);
        ALL.put("logout", LogoutCommand::new);
        ALL.put("whoami", WhoamiCommand::new);
        ALL.put("sessions", SessionsCommand::new);
        ALL.put("metrics", MetricsCommand::new);
        ALL.put("models", ModelsCommand::new);
        ALL.put("resources", ResourcesCommand::new);
        ALL.put("tokens", TokensCommand::new);
        ALL.put("config", ConfigCommand::new);
        ALL.put("completion", CompletionCommand::new);
    }

    private TopLevelCommands() {
    }

    static void register(CommandLine root, String[] args) {
        String first = firstCommand(args);
        Supplier<Object> only = first == null || first.equals("completion") ? null : ALL.get(first);
        if (only != null) {
            root.addSubcommand(first, only.get());
        } else {
            ALL.forEach((name, command) -> root.addSubcommand(name, command.get()));
        }
    }

    /** The first word that is not an option or an option's value; null when there is none. */
    static String firstCommand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (WITH_VALUE.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }
}
