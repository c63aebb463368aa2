package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Details;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** {@code keisei whoami}: the gateway, and who the token is (GET /api/v1/auth/me). */
@Command(name = "whoami", description = "Show the gateway, your name, role and permissions.")
public final class WhoamiCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode me = api().get("/auth/me");
        output().print(me, () -> {
            List<String> permissions = new ArrayList<>();
            me.path("permissions").forEach(p -> permissions.add(p.asText()));
            return output().render(new Details()
                    .add("Gateway", api().endpoint().baseUrl())
                    .add("Name", me.path("name").asText(null))
                    .add("Owner", me.path("owner").asText(null))
                    .add("Role", me.path("role").asText(null))
                    .add("Token id", me.path("tokenId").asText(null))
                    .add("Permissions", String.join(", ", permissions)));
        });
        return ExitCodes.OK;
    }
}
