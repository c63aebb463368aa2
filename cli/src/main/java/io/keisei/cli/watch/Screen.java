package io.keisei.cli.watch;

import io.keisei.cli.output.DisplayWidth;

import java.io.PrintStream;
import java.util.List;

/**
 * Draws the watch. On a terminal it redraws one block in place: the cursor goes back up over the last block
 * (CSI n F) and each line is cleared (CSI 2K) before it is written, so the screen does not scroll. Lines are cut
 * to the width, since a wrapped line would make the next redraw go up too few lines. Elsewhere (a pipe, a CI log)
 * it prints plain lines, at most one every {@code plainEvery} ms unless the state changed.
 */
public final class Screen {

    private static final String CSI = "\u001b[";

    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final long plainEveryMillis;
    private int drawn;
    private String lastPlainState;
    private long lastPlainAt;

    public Screen(PrintStream out, boolean terminal, int width, long plainEveryMillis) {
        this.out = out;
        this.terminal = terminal;
        this.width = width <= 0 ? 100 : width;
        this.plainEveryMillis = plainEveryMillis;
    }

    public void draw(WatchState s, long nowMillis) {
        if (terminal) {
            StringBuilder b = new StringBuilder();
            if (drawn > 0) {
                b.append(CSI).append(drawn).append('F');
            }
            List<String> lines = StatusBlock.lines(s, width);
            for (String line : lines) {
                b.append(CSI).append("2K").append(DisplayWidth.truncate(line, width - 1)).append('\n');
            }
            drawn = lines.size();
            out.print(b);
        } else {
            String state = s.state() + "|" + s.lastEvent();
            if (state.equals(lastPlainState) && nowMillis - lastPlainAt < plainEveryMillis) {
                return;
            }
            lastPlainState = state;
            lastPlainAt = nowMillis;
            out.println(StatusBlock.line(s));
        }
        out.flush();
    }

    /** A line under the block (the block is not redrawn over it). */
    public void message(String line) {
        out.println(line);
        out.flush();
        drawn = 0;
    }
}
