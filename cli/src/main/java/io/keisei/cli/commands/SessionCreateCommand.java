package io.keisei.cli.commands;

import io.keisei.contracts.api.Session;
import io.keisei.cli.output.Contracts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;
import io.keisei.cli.trainingconfig.ConfigFile;
import io.keisei.cli.trainingconfig.ConfigOverlay;
import io.keisei.cli.trainingconfig.Setting;
import io.keisei.cli.trainingconfig.SettingConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code keisei sessions create NAME --template T [--file F] [--set k=v ...] [--pool P] [--start]}: the body of
 * POST /api/v1/sessions. The file and the settings make the config overlay on the template; the server
 * validates it and answers every bad field, which is printed one per line.
 */
@Command(name = "create", description = "Create a session from a template, a config file and --set values.")
public final class SessionCreateCommand extends ApiCommand {

    @Parameters(paramLabel = "NAME", description = "The session's name.")
    String name;

    @Option(names = "--template", paramLabel = "TEMPLATE", description = "The config template (see 'keisei config templates'), e.g. quick-cpu.")
    String template;

    @Option(names = "--trainer", paramLabel = "TRAINER", description = "The trainer (see 'keisei config trainers'; default: the template's, else builtin).")
    String trainer;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "A config overlay: JSON or YAML; a .toml file (keisei-train) is sent as it is. '-' reads stdin.")
    String file;

    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SettingConverter.class,
            description = "A config value by dotted path, e.g. training.learning_rate=1e-4 (JSON when it parses, else a string); repeatable.")
    List<Setting> settings = new ArrayList<>();

    @Option(names = "--priority", paramLabel = "N", description = "Queue priority, 0-1000 (default 0).")
    Integer priority;

    @Option(names = "--pool", paramLabel = "POOL",
            description = "The resource pool its trainer runs in (see 'keisei resources'; default: the default pool).")
    String pool;

    @Option(names = "--start", description = "Start it right away.")
    boolean start;

    @Override
    public Integer call() {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
        if (template != null) {
            body.put("template", template);
        }
        if (trainer != null) {
            body.put("trainer", trainer);
        }
        if (priority != null) {
            body.put("priority", priority);
        }
        if (pool != null) {
            body.put("pool", pool);
        }
        ConfigFile config = file == null ? null : ConfigFile.read(file, root().in());
        if (config != null && config.isToml()) {
            if (!settings.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "--set does not apply to a TOML file (it is sent as it is): edit " + file);
            }
            body.put("configToml", config.toml());
        } else if (config != null || !settings.isEmpty()) {
            body.set("config", ConfigOverlay.apply(config == null ? null : config.json(), settings));
        }
        JsonNode session = api().post("/sessions", body);
        String id = session.path("id").asText();
        output().note("Created session " + id + " (" + session.path("name").asText() + ")");
        if (start) {
            session = api().post(SessionsCommand.path(id) + "/start", null);
        }
        JsonNode result = session;
        output().print(result, () -> start ? SessionViews.stateLine(Contracts.read(result, Session.class)) : "");
        return ExitCodes.OK;
    }
}
