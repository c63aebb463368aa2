package io.keisei.cli.commands;

import io.keisei.cli.ExitCodes;
import io.keisei.cli.settings.UserConfig;
import picocli.CommandLine.Command;

/** {@code keisei logout}: forgets the stored token (the URL stays, as the default of the next login). */
@Command(name = "logout", description = "Remove the stored API token (the token itself stays valid: revoke it with 'keisei tokens revoke').")
public final class LogoutCommand extends ApiCommand {

    @Override
    public Integer call() {
        UserConfig config = root().userConfig();
        boolean had = config.forgetToken();
        output().note(had ? "Logged out: the token is removed from " + config.file() : "Not logged in.");
        return ExitCodes.OK;
    }
}
