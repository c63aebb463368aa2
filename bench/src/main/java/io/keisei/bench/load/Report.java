package io.keisei.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's results as Markdown tables and one SVG chart of every target's margin. */
final class Report {

    /** A plan target or aim with what was measured; {@code lowerIsBetter} false for throughput-like limits. */
    record Target(String name, String measuredAs, double limit, double measured, String unit, boolean lowerIsBetter) {
        double margin() {
            if (Double.isNaN(measured) || measured == 0) {
                return Double.NaN;
            }
            return lowerIsBetter ? limit / measured : measured / limit;
        }

        boolean met() {
            return !Double.isNaN(measured) && (lowerIsBetter ? measured <= limit : measured >= limit);
        }
    }

    private final StringBuilder md = new StringBuilder();
    private final List<Target> targets = new ArrayList<>();

    void heading(String text) {
        md.append("\n## ").append(text).append("\n\n");
    }

    void line(String text) {
        md.append(text).append('\n');
    }

    void latencyTable(Map<String, Latencies.Row> rows) {
        md.append("| what | n | errors | p50 ms | p95 ms | p99 ms | max ms | per s |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        rows.values().forEach(r -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.1f | %.1f |%n",
                r.label(), r.count(), r.errors(), r.p50(), r.p95(), r.p99(), r.max(), r.perSecond())));
        md.append('\n');
    }

    void target(Target t) {
        targets.add(t);
    }

    String markdown(String header) {
        StringBuilder out = new StringBuilder(header);
        out.append("\n## Targets (plan floor and issue aims) with their margins\n\n");
        out.append("| target | measured as | limit | measured | margin | met |\n| --- | --- | ---: | ---: | ---: | --- |\n");
        for (Target t : targets) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s %s | %s %s | %s | %s |%n", t.name(), t.measuredAs(), fmt(t.limit()), t.unit(),
                    fmt(t.measured()), t.unit(), Double.isNaN(t.margin()) ? "n/a" : String.format(Locale.ROOT, "%.1fx", t.margin()),
                    t.met() ? "yes" : "**no**"));
        }
        out.append("\nMargin: limit / measured for latencies (2x = twice as fast as needed); measured / limit for counts.\n");
        out.append(md);
        return out.toString();
    }

    /** Horizontal bars of log10(margin): right of the axis is met, left is missed. */
    String svg() {
        int rowH = 22;
        int w = 900;
        int labelW = 420;
        int h = 40 + rowH * targets.size();
        int axis = labelW + (w - labelW) / 3;
        double perDecade = (w - labelW) / 3.0 / 1.0;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", w, h));
        s.append(String.format(Locale.ROOT, "<text x='10' y='18' font-weight='bold'>Margin over each target (log scale; right of the line = met)</text>%n"));
        s.append(String.format(Locale.ROOT, "<line x1='%d' y1='28' x2='%d' y2='%d' stroke='#333'/>%n", axis, axis, h - 4));
        for (int d = -1; d <= 2; d++) {
            int x = (int) (axis + d * perDecade);
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' fill='#666' text-anchor='middle'>%sx</text>%n", x, h - 2 + 0,
                    d == -1 ? "0.1" : d == 0 ? "1" : d == 1 ? "10" : "100"));
        }
        int y = 34;
        for (Target t : targets) {
            double m = t.margin();
            double lg = Double.isNaN(m) ? 0 : Math.max(-1, Math.min(2, Math.log10(m)));
            int x0 = lg >= 0 ? axis : (int) (axis + lg * perDecade);
            int bw = (int) Math.abs(lg * perDecade);
            s.append(String.format(Locale.ROOT, "<text x='10' y='%d'>%s</text>%n", y + 13, escape(t.name())));
            s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>%n", x0, y + 2, Math.max(bw, 1), rowH - 6,
                    t.met() ? "#2e8b57" : "#c0392b"));
            y += rowH;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    void write(Path md, String header, Path svg) throws IOException {
        Files.createDirectories(md.getParent());
        Files.writeString(md, markdown(header));
        Files.writeString(svg, svg());
    }

    boolean allMet() {
        return targets.stream().allMatch(Target::met);
    }

    List<Target> targets() {
        return targets;
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
