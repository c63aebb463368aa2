package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.ApiClient;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keisei tokens create|list|revoke}: API tokens (creating needs an admin; the secret is shown once). */
@Command(name = "tokens", description = "API tokens: create (admins; the secret is shown once), list, revoke.")
public final class TokensCommand extends GroupCommand {

    @Command(name = "create", description = "Create a token for a person (admins). The secret is printed once: store it.")
    int create(@Parameters(paramLabel = "NAME", description = "Who it is for, e.g. alice.") String name,
               @Option(names = "--role", paramLabel = "ROLE", required = true, description = "admin, trainer, researcher or viewer.") String role,
               @Option(names = "--owner", paramLabel = "OWNER", description = "The owner id of their sessions (default: from the name).") String owner) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("role", role);
        if (owner != null) {
            body.put("owner", owner);
        }
        JsonNode t = api().post("/auth/tokens", body);
        output().print(t, () -> "Created token " + t.path("id").asText() + " for " + t.path("name").asText() + " (" + t.path("role").asText()
                + "). The secret, shown this once:\n" + t.path("token").asText() + "\n");
        return ExitCodes.OK;
    }

    @Command(name = "list", aliases = "ls", description = "List tokens (never their secrets): an admin sees all, others their own.")
    int list() {
        JsonNode tokens = api().get("/auth/tokens");
        output().print(tokens, () -> {
            Table t = new Table("ID", "NAME", "OWNER", "ROLE", "CREATED", "CREATED BY", "REVOKED").fixed(0).optional(5, 4);
            for (JsonNode k : tokens) {
                t.row(k.path("id").asText(), k.path("name").asText(), k.path("owner").asText(), k.path("role").asText(),
                        Formats.time(k.path("createdAt").asText(null)), k.path("createdBy").asText(""),
                        Formats.time(k.path("revokedAt").asText(null)));
            }
            return output().render(t);
        });
        return ExitCodes.OK;
    }

    @Command(name = "revoke", description = "Revoke a token: admins any, others their own.")
    int revoke(@Parameters(paramLabel = "ID", description = "The token id (from 'keisei tokens list').") String id) {
        api().delete("/auth/tokens/" + ApiClient.segment(id));
        output().print(Json.MAPPER.createObjectNode().put("id", id).put("revoked", true), () -> "Revoked token " + id + "\n");
        return ExitCodes.OK;
    }
}
