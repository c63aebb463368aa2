package io.keisei.cli.commands;

import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.CheckpointRequested;
import io.keisei.cli.output.Contracts;
import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.ApiClient;
import io.keisei.cli.output.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code keisei sessions ...}: the lifecycle actions are methods here (one request each, the same output);
 * the commands with options of their own are classes.
 */
@Command(name = "sessions", description = "Training sessions: list, create, control, configure, follow.",
        subcommands = {SessionsListCommand.class, SessionGetCommand.class, SessionCreateCommand.class, SessionConfigCommand.class,
                SessionLogsCommand.class, SessionWatchCommand.class})
public final class SessionsCommand extends GroupCommand {

    @Command(name = "start", description = "Start a created session: allocate resources (it may queue), launch the trainer.")
    int start(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        return act(id, "start");
    }

    @Command(name = "stop", description = "Stop a session: the trainer checkpoints and exits.")
    int stop(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        return act(id, "stop");
    }

    @Command(name = "pause", description = "Pause a running session: checkpoint, exit, release its resources.")
    int pause(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        return act(id, "pause");
    }

    @Command(name = "resume", description = "Resume a paused, stopped or failed session from its latest checkpoint (a new attempt).")
    int resume(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        return act(id, "resume");
    }

    @Command(name = "checkpoint", description = "Ask the running trainer to save a checkpoint now.")
    int checkpoint(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        JsonNode answer = api().post(path(id) + "/checkpoint", null);
        output().print(answer, () -> "Checkpoint requested for session " + id
                + (answer == null ? "" : " (request " + Contracts.read(answer, CheckpointRequested.class).requestId() + ")") + "\n");
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Delete a session that is not queued or running, with its checkpoints.")
    int delete(@Parameters(paramLabel = "ID", description = "The session id.") String id) {
        api().delete(path(id));
        output().print(Json.MAPPER.createObjectNode().put("id", id).put("deleted", true), () -> "Deleted session " + id + "\n");
        return ExitCodes.OK;
    }

    private int act(String id, String verb) {
        JsonNode session = api().post(path(id) + "/" + verb, null);
        output().print(session, () -> SessionViews.stateLine(Contracts.read(session, Session.class)));
        return ExitCodes.OK;
    }

    static String path(String id) {
        return "/sessions/" + ApiClient.segment(id);
    }
}
