package io.keisei.cli.output;

import java.util.Locale;

/** A text progress bar, {@code [#########-----------]  45.0%}: ASCII, so any terminal and any locale draws it. */
public final class ProgressBar {

    private ProgressBar() {
    }

    /** The bar for {@code fraction} (0..1, clamped) with {@code width} cells between the brackets. */
    public static String render(double fraction, int width) {
        double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.floor(f * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format(Locale.ROOT, "%5.1f%%", f * 100);
    }
}
