package io.keisei.cli.commands;

import io.keisei.contracts.api.SessionPage;
import io.keisei.cli.output.Contracts;
import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.QueryString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keisei sessions list}: a page of sessions, newest first. */
@Command(name = "list", aliases = "ls", description = "List sessions, newest first.")
public final class SessionsListCommand extends ApiCommand {

    @Option(names = "--state", paramLabel = "STATE", description = "Only sessions in this state (created, queued, running, paused, stopped, ...).")
    String state;

    @Option(names = "--owner", paramLabel = "OWNER", description = "Only this owner's sessions.")
    String owner;

    @Option(names = "--page", paramLabel = "N", defaultValue = "0", description = "Page number, from 0 (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--size", paramLabel = "N", defaultValue = "20", description = "Sessions per page, 1-200 (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        JsonNode answer = api().get("/sessions" + new QueryString().add("state", state).add("owner", owner).add("page", page).add("size", size));
        output().print(answer, () -> {
            SessionPage sessions = Contracts.read(answer, SessionPage.class);
            String table = output().render(SessionViews.table(sessions.items()));
            long total = sessions.total();
            int shown = sessions.items().size();
            if (total > shown) {
                long pages = (total + size - 1) / size;
                table += "(page " + page + " of 0.." + (pages - 1) + ", " + total + " sessions; --page N for more)\n";
            }
            return table;
        });
        return ExitCodes.OK;
    }
}
