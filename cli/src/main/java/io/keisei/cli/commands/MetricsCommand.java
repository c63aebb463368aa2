package io.keisei.cli.commands;

import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.QueryString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** {@code keisei metrics export ID}: every raw point of a session, streamed from GET /sessions/{id}/metrics/export. */
@Command(name = "metrics", description = "A session's metrics.", subcommands = MetricsCommand.Export.class)
public final class MetricsCommand extends GroupCommand {

    @Command(name = "export", description = "Export every raw point of a session's metrics as CSV or JSON (streamed).")
    public static final class Export extends ApiCommand {

        /** The export formats the gateway offers. */
        enum Format { csv, json }

        @Parameters(paramLabel = "ID", description = "The session id.")
        String id;

        @Option(names = "--names", paramLabel = "NAME", split = ",", description = "Only these metrics, e.g. ppo/policy_loss,episode_reward_mean.")
        List<String> names = new ArrayList<>();

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv (default) or json.")
        Format format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to this file (default: stdout).")
        Path file;

        @Override
        public Integer call() {
            String path = SessionsCommand.path(id) + "/metrics/export"
                    + new QueryString().add("format", format.name()).add("names", names.isEmpty() ? null : String.join(",", names));
            HttpResponse<InputStream> r = api().stream(path, format == Format.csv ? "text/csv" : "application/json");
            try (InputStream in = r.body()) {
                if (file == null) {
                    in.transferTo(out());
                    out().flush();
                } else {
                    // Written next to the target and moved into place: an interrupted export leaves no half file.
                    Path tmp = file.resolveSibling(file.getFileName() + ".part");
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        in.transferTo(o);
                    } catch (IOException e) {
                        Files.deleteIfExists(tmp);
                        throw e;
                    }
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    output().note("Exported " + Files.size(file) + " bytes to " + file);
                }
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "export failed: " + e.getMessage(), e);
            }
            return ExitCodes.OK;
        }
    }
}
