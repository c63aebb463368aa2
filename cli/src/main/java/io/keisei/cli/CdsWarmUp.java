package io.keisei.cli;

import io.keisei.cli.output.Contracts;
import io.keisei.cli.output.Details;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.Table;
import io.keisei.contracts.api.SessionPage;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code java -XX:ArchiveClassesAtExit=... -jar keisei-cli.jar --cds-warm-up}: what the ./keisei script runs once,
 * in the background, to make the client's class-data archive (AppCDS). It loads the classes an ordinary command
 * loads (picocli's parse of a few command lines, the HTTP client and a refused connection, JSON, a table), touching
 * nothing of the user's: the gateway is a port where nothing listens, the config directory one that does not exist.
 * A later command that maps the archive starts in about two thirds of the time (bench/results/2026-12-07-cli-startup.md).
 */
final class CdsWarmUp {

    private CdsWarmUp() {
    }

    static void run() {
        Map<String, String> env = Map.of("KEISEI_URL", "http://127.0.0.1:1", "KEISEI_TOKEN", "warm-up",
                "XDG_CONFIG_HOME", "/nonexistent/keisei-warm-up", "HOME", "/nonexistent/keisei-warm-up", "COLUMNS", "80");
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        for (String[] args : new String[][]{
                {"sessions", "list"}, {"sessions", "get", "x", "-o", "json"}, {"sessions", "create", "x", "--set", "a.b=1"},
                {"models", "list"}, {"whoami"}, {"sessions", "nope"}}) {
            Main.run(args, env, new ByteArrayInputStream(new byte[0]), nowhere, nowhere);
        }
        nowhere.print(new Table("ID", "NAME").row("a", "b").render(80) + new Details().add("A", "b").render(80)
                + Json.pretty(Json.MAPPER.createObjectNode().put("a", 1)));
        // The answers' records (no gateway answered above): a page of sessions as the list command reads it.
        try {
            SessionPage page = Contracts.read(Json.parse("{\"items\":[{\"id\":\"s\",\"name\":\"n\",\"state\":\"running\","
                    + "\"currentStep\":1,\"config\":{},\"updatedAt\":\"2026-01-01T00:00:00Z\"}],\"page\":0,\"size\":20,\"total\":1}"),
                    SessionPage.class);
            nowhere.print(Formats.time(page.items().get(0).updatedAt()) + page.items().get(0).state().wire());
        } catch (Exception e) {
            // only a warm-up
        }
    }
}
