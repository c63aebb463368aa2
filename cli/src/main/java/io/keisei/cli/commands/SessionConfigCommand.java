package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.trainingconfig.ConfigFile;
import io.keisei.cli.trainingconfig.ConfigOverlay;
import io.keisei.cli.trainingconfig.Setting;
import io.keisei.cli.trainingconfig.SettingConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code keisei sessions config ID [--set k=v ...] [--file F]}: shows a session's full config or changes it
 * (GET, then PUT of the changed whole while the session is not running). As a table, one {@code path = value}
 * line per value: the same paths {@code --set} takes.
 */
@Command(name = "config", description = "Show a session's config, or change it with --set / --file (not while it runs).")
public final class SessionConfigCommand extends ApiCommand {

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SettingConverter.class,
            description = "Change one value by dotted path, e.g. training.learning_rate=1e-4; repeatable.")
    List<Setting> settings = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Replace the config with this JSON or YAML file ('-' reads stdin); --set applies on top.")
    String file;

    @Override
    public Integer call() {
        String path = SessionsCommand.path(id) + "/config";
        JsonNode config;
        if (settings.isEmpty() && file == null) {
            config = api().get(path);
        } else {
            ObjectNode base;
            if (file != null) {
                ConfigFile f = ConfigFile.read(file, root().in());
                if (f.isToml()) {
                    throw new CliException(ExitCodes.USAGE, "a session's config is changed as JSON or YAML, not TOML");
                }
                base = f.json();
            } else {
                JsonNode current = api().get(path);
                base = current instanceof ObjectNode o ? o : null;
            }
            config = api().put(path, ConfigOverlay.apply(base, settings));
        }
        JsonNode shown = config;
        output().print(shown, () -> flatten(shown));
        return ExitCodes.OK;
    }

    /** {"training": {"learning_rate": 1e-4}} → "training.learning_rate = 1.0E-4". */
    static String flatten(JsonNode config) {
        StringBuilder out = new StringBuilder();
        flatten("", config, out);
        return out.toString();
    }

    private static void flatten(String prefix, JsonNode node, StringBuilder out) {
        if (node.isObject() && node.size() > 0) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.append(prefix).append(" = ").append(node.isTextual() ? node.asText() : node.toString()).append('\n');
        }
    }
}
