package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.ApiClient;
import io.keisei.cli.http.QueryString;
import io.keisei.cli.output.Contracts;
import io.keisei.cli.output.Details;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.Table;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.ModelPage;
import io.keisei.contracts.api.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keisei models ...}: checkpoints with their metadata; download is a class of its own. */
@Command(name = "models", description = "Models (checkpoints): list, show, download (sha256-checked), fork, delete.",
        subcommands = ModelDownloadCommand.class)
public final class ModelsCommand extends GroupCommand {

    @Command(name = "list", aliases = "ls", description = "List models, newest step first.")
    int list(@Option(names = "--session", paramLabel = "ID", description = "Only this session's models.") String session,
             @Option(names = "--page", paramLabel = "N", defaultValue = "0", description = "Page number, from 0.") int page,
             @Option(names = "--size", paramLabel = "N", defaultValue = "20", description = "Models per page (default ${DEFAULT-VALUE}).") int size) {
        JsonNode answer = api().get("/models" + new QueryString().add("session", session).add("page", page).add("size", size));
        output().print(answer, () -> {
            Table t = new Table("ID", "SESSION", "ATTEMPT", "STEP", "SIZE", "SHA256", "CREATED").fixed(0).optional(5, 6, 2, 1);
            for (Checkpoint m : Contracts.read(answer, ModelPage.class).items()) {
                t.row(m.id(), m.session(), m.attempt(), Formats.count(m.step()), Formats.bytes(m.sizeBytes()),
                        m.sha256() == null ? "" : shortHash(m.sha256()), m.createdAt() == null ? "" : Formats.time(m.createdAt()));
            }
            return output().render(t);
        });
        return ExitCodes.OK;
    }

    @Command(name = "get", description = "Show a model's metadata: session, attempt, step, size, sha256, architecture, metrics.")
    int get(@Parameters(paramLabel = "ID", description = "The model id.") String id) {
        JsonNode answer = api().get(path(id));
        output().print(answer, () -> {
            Checkpoint m = Contracts.read(answer, Checkpoint.class);
            return output().render(new Details()
                    .add("ID", m.id())
                    .add("Session", m.session())
                    .add("Attempt", m.attempt())
                    .add("Step", Formats.count(m.step()))
                    .add("Size", Formats.bytes(m.sizeBytes()) + " (" + m.sizeBytes() + " bytes)")
                    .add("SHA-256", m.sha256())
                    .add("Created", m.createdAt() == null ? null : Formats.time(m.createdAt()))
                    .add("Architecture", compact(m.architecture()))
                    .add("Metrics", compact(m.metrics())));
        });
        return ExitCodes.OK;
    }

    @Command(name = "fork", description = "Create a new session of yours that trains on from this model.")
    int fork(@Parameters(paramLabel = "ID", description = "The model id.") String id,
             @Option(names = "--name", paramLabel = "NAME", required = true, description = "The new session's name.") String name,
             @Option(names = "--priority", paramLabel = "N", description = "Queue priority, 0-1000.") Integer priority) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
        if (priority != null) {
            body.put("priority", priority);
        }
        JsonNode session = api().post(path(id) + "/fork", body);
        output().print(session, () -> {
            Session s = Contracts.read(session, Session.class);
            return "Forked model " + id + " into session " + s.id() + " (" + s.name() + ")\n";
        });
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Delete a model (its file and metadata).")
    int delete(@Parameters(paramLabel = "ID", description = "The model id.") String id) {
        api().delete(path(id));
        output().print(Json.MAPPER.createObjectNode().put("id", id).put("deleted", true), () -> "Deleted model " + id + "\n");
        return ExitCodes.OK;
    }

    static String path(String id) {
        return "/models/" + ApiClient.segment(id);
    }

    private static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    private static String compact(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || n.isEmpty() ? null : n.toString();
    }
}
