package io.keisei.cli.commands;

import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.follow.NewLines;
import io.keisei.cli.follow.SessionStates;
import io.keisei.cli.http.QueryString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code keisei sessions logs ID [-f] [--tail N]}: the trainer's log. With {@code -f} it polls the log's tail
 * and prints only the lines it has not printed, until the session is no longer active (stopped, paused,
 * completed, failed), then exits 0.
 */
@Command(name = "logs", description = "Print the trainer's log; -f follows it until the session is no longer active.")
public final class SessionLogsCommand extends ApiCommand {

    /** The widest window a poll asks for: the overlap with the last one must survive a busy second. */
    private static final int FOLLOW_WINDOW = 1000;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the session is no longer active.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "200", description = "Start with the last N lines, 1-10000 (default ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", hidden = true, description = "How often -f polls (e.g. 500ms, 2s).")
    String interval;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = out();
        List<String> window = fetch(tail);
        window.forEach(out::println);
        out.flush();
        if (!follow) {
            return ExitCodes.OK;
        }
        Duration every = parseDuration(interval);
        while (true) {
            // The state first: a last fetch after it says "inactive" still gets the final lines.
            boolean active = SessionStates.isActive(api().get(SessionsCommand.path(id)).path("state").asText(null));
            List<String> current = fetch(Math.max(tail, FOLLOW_WINDOW));
            current.subList(NewLines.start(window, current), current.size()).forEach(out::println);
            out.flush();
            window = current;
            if (!active) {
                return ExitCodes.OK;
            }
            Thread.sleep(every.toMillis());
        }
    }

    private List<String> fetch(int lines) {
        String text = api().getText(SessionsCommand.path(id) + "/logs" + new QueryString().add("tail", lines));
        return text == null || text.isEmpty() ? List.of() : text.lines().toList();
    }

    static Duration parseDuration(String s) {
        try {
            String v = s.strip().toLowerCase(java.util.Locale.ROOT);
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new CliException(ExitCodes.USAGE, "not a duration: '" + s + "' (e.g. 500ms, 2s)");
        }
    }
}
