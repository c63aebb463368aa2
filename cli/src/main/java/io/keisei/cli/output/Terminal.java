package io.keisei.cli.output;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the CLI knows about where its output goes: whether stdout or stderr is a terminal (then the watch redraws
 * in place and downloads show a bar) and how wide it is (tables fit it). Java 17 only says whether stdin
 * <em>and</em> stdout are a console, so on Linux the file descriptor's link in /proc answers for each one.
 */
public final class Terminal {

    private final Map<String, String> env;
    private Integer width;

    public Terminal(Map<String, String> env) {
        this.env = env;
    }

    /** Whether file descriptor 1 (stdout) or 2 (stderr) is a terminal. */
    public boolean isTerminal(int fd) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fd == 1 && System.console() != null; // not Linux: the best Java 17 offers
        }
    }

    /**
     * The width in columns: {@code COLUMNS} when set (shells do not export it, so it is the user's choice), else
     * the terminal's own when stdout is one, else 0: no limit, so that piped tables are never cut.
     */
    public int width() {
        if (width == null) {
            width = detectWidth();
        }
        return width;
    }

    private int detectWidth() {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                int c = Integer.parseInt(columns.strip());
                if (c > 0) {
                    return c;
                }
            } catch (NumberFormatException e) {
                // fall through to the terminal
            }
        }
        return isTerminal(1) ? sttyColumns() : 0;
    }

    /** {@code stty size} on the controlling terminal: "rows columns". A few milliseconds, and only for tables on a terminal. */
    private static int sttyColumns() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] parts = out.split("\\s+");
                if (parts.length == 2) {
                    return Integer.parseInt(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no tty to ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
