package io.keisei.cli.watch;

import io.keisei.cli.output.Formats;
import io.keisei.cli.output.ProgressBar;

import java.util.ArrayList;
import java.util.List;

/** The lines the watch shows for a {@link WatchState}: a block of three on a terminal, one line in a log. */
public final class StatusBlock {

    private StatusBlock() {
    }

    /** The block for a terminal {@code width} columns wide. */
    public static List<String> lines(WatchState s, int width) {
        List<String> lines = new ArrayList<>();
        lines.add("Session " + s.id() + (s.name() == null ? "" : " \"" + s.name() + "\"") + "  " + stateText(s)
                + (s.attempt() > 0 ? "  attempt " + s.attempt() : ""));
        Double progress = s.progress();
        String steps = "step " + Formats.count(s.step()) + (s.totalSteps() == null ? "" : " / " + Formats.count(s.totalSteps()));
        if (progress != null) {
            int barWidth = Math.max(10, Math.min(50, width - steps.length() - 12));
            lines.add(ProgressBar.render(progress, barWidth) + "  " + steps);
        } else {
            lines.add(steps);
        }
        lines.add(numbers(s));
        return lines;
    }

    /** One line with everything, for output that is not a terminal. */
    public static String line(WatchState s) {
        Double progress = s.progress();
        return "state " + stateText(s) + "  step " + s.step() + (s.totalSteps() == null ? "" : "/" + s.totalSteps())
                + (progress == null ? "" : String.format(java.util.Locale.ROOT, " (%.1f%%)", progress * 100)) + "  " + numbers(s);
    }

    private static String numbers(WatchState s) {
        Long eta = s.etaSeconds();
        return "steps/s " + Formats.number(s.stepsPerSecond()) + "  ETA " + (eta == null ? "–" : Formats.duration(eta))
                + "  reward " + Formats.number(s.reward()) + "  win rate " + Formats.number(s.winRate());
    }

    private static String stateText(WatchState s) {
        String state = s.state() == null ? "?" : s.state();
        return s.reason() == null || s.reason().isBlank() ? state : state + " (" + s.reason() + ")";
    }
}
