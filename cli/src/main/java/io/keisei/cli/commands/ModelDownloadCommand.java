package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.VerifiedDownload;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code keisei models download ID [--out PATH]}: streams the checkpoint to a file, with a progress bar on
 * stderr when it is a terminal, and checks its SHA-256 against the one the API reports for the model
 * (GET /models/{id}); a mismatch is an error and leaves no file.
 */
@Command(name = "download", description = "Download a model's checkpoint file and check its sha256 (mismatch: error, file removed).")
public final class ModelDownloadCommand extends ApiCommand {

    private static final Pattern FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?");

    @Parameters(paramLabel = "ID", description = "The model id.")
    String id;

    @Option(names = {"-O", "--out"}, paramLabel = "PATH", description = "The file, or a directory to put it in (default: the server's file name, here).")
    Path out;

    @Override
    public Integer call() throws Exception {
        JsonNode meta = api().get(ModelsCommand.path(id));
        long size = meta.path("sizeBytes").asLong(-1);
        HttpResponse<InputStream> r = api().stream(ModelsCommand.path(id) + "/download", "application/octet-stream");
        // The metadata's sha256 is the reference; the download's ETag (also the sha256) only if the metadata lacks it.
        String expected = meta.hasNonNull("sha256") ? meta.path("sha256").asText()
                : r.headers().firstValue("ETag").map(t -> t.replace("\"", "").replace("W/", "")).orElse(null);
        Path target = target(r);
        Progress progress = root().terminal().isTerminal(2) ? new Progress(err(), size) : null;
        String sha = VerifiedDownload.write(r.body(), target, expected, progress == null ? n -> { } : progress);
        if (progress != null) {
            progress.done();
        }
        long bytes = Files.size(target);
        JsonNode result = Json.MAPPER.createObjectNode().put("id", id).put("file", target.toString())
                .put("bytes", bytes).put("sha256", sha).put("verified", expected != null);
        output().print(result, () -> "Downloaded " + target + " (" + Formats.bytes(bytes) + ", sha256 "
                + (expected != null ? "OK" : "not reported by the API, not checked") + ")\n");
        return ExitCodes.OK;
    }

    private Path target(HttpResponse<?> r) {
        String name = r.headers().firstValue("Content-Disposition").map(FILENAME::matcher).filter(Matcher::find)
                .map(m -> Path.of(m.group(1)).getFileName().toString()) // a name, never a path from the server
                .orElse(id + ".kshogi");
        if (out == null) {
            return Path.of(name);
        }
        return Files.isDirectory(out) ? out.resolve(name) : out;
    }

    /** A one-line bar on stderr, redrawn with a carriage return, at most ten times a second. */
    private static final class Progress implements LongConsumer {
        private final PrintStream err;
        private final long size;
        private long lastDraw;
        private long bytes;

        Progress(PrintStream err, long size) {
            this.err = err;
            this.size = size;
        }

        @Override
        public void accept(long total) {
            bytes = total;
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L) {
                lastDraw = now;
                draw();
            }
        }

        private void draw() {
            String bar = size > 0 ? ProgressBar.render(bytes / (double) size, 30) + "  " : "";
            err.print("\r\u001b[2K" + bar + Formats.bytes(bytes) + (size > 0 ? " / " + Formats.bytes(size) : ""));
            err.flush();
        }

        void done() {
            draw();
            err.println();
        }
    }
}
