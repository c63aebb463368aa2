package io.keisei.cli;

import io.keisei.cli.http.ApiClient;
import io.keisei.cli.output.Output;
import io.keisei.cli.output.OutputFormat;
import io.keisei.cli.output.Terminal;
import io.keisei.cli.settings.Endpoint;
import io.keisei.cli.settings.UserConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code keisei}: the root of the client commands (registered by {@link TopLevelCommands}), and what they share: the global options (inherited, so they
 * go anywhere on the line), the environment and the standard streams, and the API client built from them.
 */
@Command(name = "keisei", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Keisei Web UI from the command line: sessions, live training, models, resources and tokens, through "
                + "the gateway's public API (/api/v1 and /ws) only, so it works against a remote suite as against ./keisei up.",
        footer = ExitCodes.HELP)
public final class KeiseiCommand implements Callable<Integer> {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The gateway (default: KEISEI_URL, else the one 'keisei login' stored, else " + Endpoint.DEFAULT_URL + ").")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "The API token (default: KEISEI_TOKEN, else the one 'keisei login' stored).")
    String token;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml: JSON and YAML are the API's answer as it is.")
    OutputFormat format = OutputFormat.TABLE;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show the stack trace of an error.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private ApiClient api;
    private Terminal terminal;

    public KeiseiCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** {@code keisei} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCodes.USAGE;
    }

    public Map<String, String> env() {
        return env;
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean debug() {
        return debug;
    }

    public UserConfig userConfig() {
        return UserConfig.of(env);
    }

    /** The gateway and token for this invocation (options, then environment, then the stored login). */
    public Endpoint endpoint() {
        return Endpoint.resolve(url, token, env, userConfig().load());
    }

    /** The --url and --token options as given (null when not). */
    public String urlOption() {
        return url;
    }

    public String tokenOption() {
        return token;
    }

    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(endpoint(), Version.current());
        }
        return api;
    }

    public Terminal terminal() {
        if (terminal == null) {
            terminal = new Terminal(env);
        }
        return terminal;
    }

    public Output output() {
        return new Output(format, out, terminal());
    }
}
