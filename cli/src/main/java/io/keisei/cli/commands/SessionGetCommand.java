package io.keisei.cli.commands;

import io.keisei.contracts.api.Session;
import io.keisei.cli.output.Contracts;
import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keisei sessions get ID}: one session (its config: {@code keisei sessions config ID}). */
@Command(name = "get", description = "Show one session (its config: 'keisei sessions config ID').")
public final class SessionGetCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    public Integer call() {
        JsonNode session = api().get(SessionsCommand.path(id));
        output().print(session, () -> output().render(SessionViews.details(Contracts.read(session, Session.class))));
        return ExitCodes.OK;
    }
}
