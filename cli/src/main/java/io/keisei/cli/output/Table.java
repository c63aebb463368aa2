package io.keisei.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row in capitals and aligned columns two spaces apart, like kubectl's. When it is
 * wider than the terminal, the optional columns are left out first (in the order given) as long as the rest would
 * not fit even cut down; then the widest columns give way, down to a floor, and cells cut there end in …, so a
 * long session name never wraps a row onto two lines.
 */
public final class Table {

    private static final String GAP = "  ";
    /** No column shrinks below this (or its natural width, if smaller): "ab…" still says something. */
    private static final int MIN_COLUMN = 6;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final boolean[] fixed;
    private final List<Integer> optional = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
        this.fixed = new boolean[headers.length];
    }

    /** Columns that may be left out on a narrow terminal, the first given first (the least useful). */
    public Table optional(int... columns) {
        for (int c : columns) {
            optional.add(c);
        }
        return this;
    }

    /** Marks columns that never shrink: an id cut short is no use to copy. */
    public Table fixed(int... columns) {
        for (int c : columns) {
            fixed[c] = true;
        }
        return this;
    }

    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row has " + headers.size() + " cells, not " + cells.length);
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "" : oneLine(c.toString()));
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size();
    }

    /** The table in at most {@code maxWidth} columns per line (no limit when {@code maxWidth <= 0}). */
    public String render(int maxWidth) {
        int n = headers.size();
        int[] natural = new int[n];
        for (int i = 0; i < n; i++) {
            natural[i] = DisplayWidth.of(headers.get(i));
            for (List<String> r : rows) {
                natural[i] = Math.max(natural[i], DisplayWidth.of(r.get(i)));
            }
        }
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shown.add(i);
        }
        if (maxWidth > 0) {
            for (int drop : optional) {
                if (minimumWidth(shown, natural) <= maxWidth) {
                    break;
                }
                shown.remove(Integer.valueOf(drop));
            }
        }
        int[] widths = shown.stream().mapToInt(i -> natural[i]).toArray();
        boolean[] keep = new boolean[shown.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = fixed[shown.get(i)];
        }
        if (maxWidth > 0) {
            fit(widths, keep, maxWidth - GAP.length() * (shown.size() - 1));
        }
        StringBuilder out = new StringBuilder();
        line(out, pick(headers, shown), widths);
        for (List<String> r : rows) {
            line(out, pick(r, shown), widths);
        }
        return out.toString();
    }

    /** The width of these columns with every one cut to its floor. */
    private int minimumWidth(List<Integer> columns, int[] natural) {
        int w = GAP.length() * (columns.size() - 1);
        for (int c : columns) {
            w += fixed[c] ? natural[c] : Math.min(natural[c], MIN_COLUMN);
        }
        return w;
    }

    private static List<String> pick(List<String> cells, List<Integer> columns) {
        return columns.stream().map(cells::get).toList();
    }

    /** Narrows the widest columns one column at a time until the sum fits (or every column is at its floor). */
    static void fit(int[] widths, boolean[] fixed, int available) {
        int[] floors = new int[widths.length];
        for (int i = 0; i < widths.length; i++) {
            floors[i] = fixed[i] ? widths[i] : Math.min(widths[i], MIN_COLUMN);
        }
        int total = Arrays.stream(widths).sum();
        while (total > available) {
            int widest = -1;
            for (int i = 0; i < widths.length; i++) {
                if (widths[i] > floors[i] && (widest < 0 || widths[i] > widths[widest])) {
                    widest = i;
                }
            }
            if (widest < 0) {
                return;
            }
            widths[widest]--;
            total--;
        }
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = DisplayWidth.truncate(cells.get(i), widths[i]);
            l.append(i == cells.size() - 1 ? c : DisplayWidth.pad(c, widths[i]) + GAP);
        }
        out.append(l.toString().stripTrailing()).append('\n');
    }

    /** A cell is one line: a newline in a name must not break the table. */
    private static String oneLine(String s) {
        return s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }
}
