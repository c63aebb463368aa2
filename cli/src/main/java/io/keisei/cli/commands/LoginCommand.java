package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.Version;
import io.keisei.cli.http.ApiClient;
import io.keisei.cli.settings.Endpoint;
import io.keisei.cli.settings.UserConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * {@code keisei login [URL]}: asks for an API token (without echo on a terminal; else the first line of stdin),
 * checks it with the gateway ({@code GET /api/v1/auth/me}) and stores URL and token for later commands.
 */
@Command(name = "login", description = {
        "Store the gateway's URL and your API token (checked with the gateway first) in $XDG_CONFIG_HOME/keisei/config.json "
                + "(else ~/.config/keisei/config.json), mode 600.",
        "The token is --token if given, else read without echo on a terminal, else the first line of stdin "
                + "(cat token-file | keisei login URL)."})
public final class LoginCommand extends ApiCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "URL",
            description = "The gateway, e.g. https://keisei.example.org (default: --url, KEISEI_URL, the stored one, " + Endpoint.DEFAULT_URL + ").")
    String url;

    @Override
    public Integer call() {
        UserConfig config = root().userConfig();
        URI base = Endpoint.parseUrl(url != null ? url : root().endpoint().baseUrl().toString());
        String token = root().tokenOption() != null ? root().tokenOption() : readToken(base);
        JsonNode me = new ApiClient(new Endpoint(base, token), Version.current()).get("/auth/me");
        config.save(new UserConfig.Stored(base.toString(), token));
        output().print(me, () -> "Logged in to " + base + " as " + me.path("name").asText() + " (" + me.path("role").asText()
                + "); saved in " + config.file() + "\n");
        return ExitCodes.OK;
    }

    private String readToken(URI base) {
        Console console = System.console();
        String token;
        if (console != null) {
            char[] secret = console.readPassword("API token for %s: ", base);
            token = secret == null ? null : new String(secret);
        } else {
            try {
                token = new BufferedReader(new InputStreamReader(root().in(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "cannot read the token from stdin: " + e.getMessage(), e);
            }
        }
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no token given (type it at the prompt, or pipe it: echo $TOKEN | keisei login)");
        }
        return token.strip();
    }
}
