package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.QueryString;
import io.keisei.cli.output.Contracts;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.Table;
import io.keisei.cli.trainingconfig.ConfigFile;
import io.keisei.cli.trainingconfig.ConfigOverlay;
import io.keisei.cli.trainingconfig.Setting;
import io.keisei.cli.trainingconfig.SettingConverter;
import io.keisei.contracts.api.ConfigTemplate;
import io.keisei.contracts.api.ConfigValidation;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.TrainerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code keisei config trainers|templates|schema|defaults|validate}: what a training config may be, and checking one. */
@Command(name = "config", description = "Training configs: trainers, templates, JSON Schema, defaults, validation.")
public final class ConfigCommand extends GroupCommand {

    @Command(name = "trainers", description = "The trainers sessions may use, with the config dialect each reads.")
    int trainers() {
        JsonNode trainers = api().get("/config/trainers");
        output().print(trainers, () -> {
            Table t = new Table("NAME", "DIALECT", "BUILTIN").fixed(0);
            Contracts.list(trainers, TrainerInfo.class).forEach(x -> t.row(x.name(), x.dialect(), x.builtin() ? "yes" : ""));
            return output().render(t);
        });
        return ExitCodes.OK;
    }

    @Command(name = "templates", description = "Config templates (with -o json|yaml: their configs too).")
    int templates() {
        JsonNode templates = api().get("/config/templates");
        output().print(templates, () -> {
            Table t = new Table("NAME", "TRAINER", "DIALECT", "AVAILABLE", "DESCRIPTION").fixed(0);
            Contracts.list(templates, ConfigTemplate.class).forEach(x -> t.row(x.name(), x.trainer(), x.dialect(),
                    x.available() ? "yes" : "no", x.description() != null ? x.description() : x.title()));
            return output().render(t);
        });
        return ExitCodes.OK;
    }

    @Command(name = "schema", description = "The JSON Schema of a trainer's config (printed as JSON, or YAML with -o yaml).")
    int schema(@Option(names = "--trainer", paramLabel = "TRAINER", description = "Default: the built-in trainer.") String trainer) {
        documentOrJson(api().get("/config/schema" + new QueryString().add("trainer", trainer)));
        return ExitCodes.OK;
    }

    @Command(name = "defaults", description = "A trainer's default config (as JSON, or YAML with -o yaml).")
    int defaults(@Option(names = "--trainer", paramLabel = "TRAINER", description = "Default: the built-in trainer.") String trainer) {
        documentOrJson(api().get("/config/defaults" + new QueryString().add("trainer", trainer)));
        return ExitCodes.OK;
    }

    @Command(name = "validate", description = {"Validate a config file (JSON or YAML; '-' reads stdin) with --set values on top.",
            "Prints 'valid' or one line per field error; exit code 2 when it is invalid."})
    int validate(@Parameters(paramLabel = "FILE", arity = "0..1", description = "The config; none: only the --set values.") String file,
                 @Option(names = "--trainer", paramLabel = "TRAINER", description = "Validate for this trainer (default: builtin).") String trainer,
                 @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SettingConverter.class,
                         description = "A value by dotted path; repeatable.") List<Setting> settings) {
        ObjectNode base = null;
        if (file != null) {
            ConfigFile f = ConfigFile.read(file, root().in());
            if (f.isToml()) {
                throw new CliException(ExitCodes.USAGE, "TOML configs are checked when a session is created from them (keisei sessions create --file)");
            }
            base = f.json();
        }
        ObjectNode config = ConfigOverlay.apply(base, settings == null ? List.of() : settings);
        JsonNode answer = api().post("/config/validate" + new QueryString().add("trainer", trainer), config);
        ConfigValidation validation = Contracts.read(answer, ConfigValidation.class);
        output().print(answer, () -> {
            if (validation.valid()) {
                return "valid\n";
            }
            StringBuilder b = new StringBuilder("invalid:\n");
            for (FieldError e : validation.errors()) {
                b.append("  ").append(e.field()).append(": ").append(e.message()).append('\n');
            }
            return b.toString();
        });
        return validation.valid() ? ExitCodes.OK : ExitCodes.USAGE;
    }

    /** Documents have no table: JSON unless YAML was asked for. */
    private void documentOrJson(JsonNode doc) {
        if (output().isTable()) {
            out().println(Json.pretty(doc));
        } else {
            output().document(doc);
        }
    }
}
