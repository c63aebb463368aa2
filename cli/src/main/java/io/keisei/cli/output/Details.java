package io.keisei.cli.output;

import java.util.ArrayList;
import java.util.List;

/** One object for people: {@code label:  value} lines with the values aligned, each cut to the terminal width. */
public final class Details {

    private final List<String[]> lines = new ArrayList<>();

    /** Adds a line unless the value is null or empty: absent fields are left out rather than shown blank. */
    public Details add(String label, Object value) {
        if (value != null && !value.toString().isEmpty()) {
            lines.add(new String[]{label, value.toString().replace('\n', ' ')});
        }
        return this;
    }

    public String render(int maxWidth) {
        int labelWidth = lines.stream().mapToInt(l -> DisplayWidth.of(l[0])).max().orElse(0) + 1;
        StringBuilder out = new StringBuilder();
        for (String[] l : lines) {
            String line = DisplayWidth.pad(l[0] + ":", labelWidth) + "  " + l[1];
            out.append(maxWidth > 0 ? DisplayWidth.truncate(line, maxWidth) : line).append('\n');
        }
        return out.toString();
    }
}
