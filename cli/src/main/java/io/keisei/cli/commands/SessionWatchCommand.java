package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.http.HubClient;
import io.keisei.cli.output.Terminal;
import io.keisei.cli.watch.Screen;
import io.keisei.cli.watch.WatchState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/**
 * {@code keisei sessions watch ID}: live step, progress and ETA, steps/s, reward and win rate from the hub
 * ({@code session:<id>}), until the session ends (stopped, completed, failed, deleted), then exit 0. A paused
 * session is watched on: it may resume. A dropped connection is reopened with the last message id as the cursor,
 * so nothing is missed; the status endpoint is asked again after every (re)subscription and when the hub has been
 * quiet for a while, which also closes the race of a session that ends while the watch connects.
 */
@Command(name = "watch", description = {"Watch a session live (step, progress bar, ETA, steps/s, reward, win rate) until it ends.",
        "On a terminal one status block is redrawn in place; otherwise plain lines are printed."})
public final class SessionWatchCommand extends ApiCommand {

    private static final Duration TICK = Duration.ofMillis(500);
    private static final long QUIET_CHECK_MILLIS = 15_000;
    private static final long PING_MILLIS = 20_000;
    private static final int MAX_RECONNECTS = 10;

    @Parameters(paramLabel = "ID", description = "The session id.")
    String id;

    @Override
    public Integer call() throws InterruptedException {
        String statusPath = SessionsCommand.path(id) + "/status";
        WatchState state = new WatchState(id);
        state.applyStatus(api().get(statusPath));
        Terminal terminal = root().terminal();
        Screen screen = new Screen(out(), terminal.isTerminal(1), terminal.width(), 2000);
        screen.draw(state, System.currentTimeMillis());
        if (state.ended()) {
            return ExitCodes.OK;
        }
        String cursor = null;
        int reconnects = 0;
        while (true) {
            try (HubClient hub = HubClient.connect(api())) {
                long lastHeard = System.currentTimeMillis();
                long lastPing = lastHeard;
                while (true) {
                    JsonNode m = hub.next(TICK);
                    long now = System.currentTimeMillis();
                    if (m == null) {
                        if (now - lastHeard > QUIET_CHECK_MILLIS) {
                            state.applyStatus(api().get(statusPath));
                            lastHeard = now;
                            if (state.ended()) {
                                return finish(state, screen, statusPath);
                            }
                            screen.draw(state, now);
                        }
                        if (now - lastPing > PING_MILLIS) {
                            hub.ping();
                            lastPing = now;
                        }
                        continue;
                    }
                    lastHeard = now;
                    String type = m.path("type").asText("");
                    if (m.hasNonNull("id")) {
                        cursor = m.path("id").asText();
                    }
                    switch (type) {
                        case "welcome" -> hub.subscribe("session:" + id, cursor);
                        case "subscribed", "resync" -> {
                            reconnects = 0;
                            state.applyStatus(api().get(statusPath));
                        }
                        case "error" -> refused(m.path("data"));
                        case HubClient.CLOSED -> {
                            closed(m);
                            throw new Reconnect();
                        }
                        default -> {
                            if (!state.apply(m)) {
                                continue; // nothing shown changed (a game move): no redraw
                            }
                        }
                    }
                    if (state.ended()) {
                        return finish(state, screen, statusPath);
                    }
                    screen.draw(state, now);
                }
            } catch (Reconnect | CliException e) {
                if (e instanceof CliException c && c.exitCode() != ExitCodes.ERROR) {
                    throw c; // refused, not dropped: trying again would not help
                }
                if (++reconnects > MAX_RECONNECTS) {
                    throw new CliException(ExitCodes.ERROR, "lost the live connection to " + api().endpoint().webSocketUrl()
                            + " and could not reopen it");
                }
                Thread.sleep(Math.min(10_000, 500L << Math.min(reconnects, 5)));
                state.applyStatus(api().get(statusPath));
                if (state.ended()) {
                    return finish(state, screen, statusPath);
                }
            }
        }
    }

    /** The last block, with the final step and metrics as the status endpoint has them once the trainer exited. */
    private int finish(WatchState state, Screen screen, String statusPath) {
        try {
            state.applyStatus(api().get(statusPath));
        } catch (CliException e) {
            // the event said it ended; the numbers of the last update will do
        }
        screen.draw(state, System.currentTimeMillis());
        return ExitCodes.OK;
    }

    /** An error message of the hub: the ones that end the watch, with the exit code they mean. */
    private void refused(JsonNode data) {
        String code = data.path("code").asText("");
        String message = data.path("message").asText(code);
        switch (code) {
            case "unknown_session" -> throw new CliException(ExitCodes.NOT_FOUND, "no session '" + id + "' (" + message + ")");
            case "unauthorized", "forbidden" -> throw new CliException(ExitCodes.FORBIDDEN, "the live hub refused: " + message);
            default -> err().println("keisei: the live hub says: " + message);
        }
    }

    /** A close for a bad token is a refusal; anything else (a drop, a full hub) is worth reconnecting after. */
    private static void closed(JsonNode m) {
        String reason = m.path("reason").asText("");
        if (m.path("code").asInt() == 1008 && (reason.startsWith("Unauthorized") || reason.startsWith("Authentication"))) {
            throw new CliException(ExitCodes.FORBIDDEN, "the live hub closed the connection: " + reason);
        }
    }

    /** The connection dropped: open another one. */
    private static final class Reconnect extends RuntimeException {
        Reconnect() {
            super(null, null, false, false);
        }
    }
}
