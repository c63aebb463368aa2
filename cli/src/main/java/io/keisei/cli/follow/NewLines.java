package io.keisei.cli.follow;

import java.util.List;

/**
 * Which lines of a freshly fetched log tail are new. The API serves the last N lines of the trainer log, so two
 * fetches overlap, and the new window may be wider than the last one: the new lines begin after the last place
 * in the new window that ends with what the previous window ended with (as much of it as fits before that place).
 * If no place does (more than a window arrived in between), the whole new window is new.
 */
public final class NewLines {

    private NewLines() {
    }

    /** The index in {@code current} of its first new line. */
    public static int start(List<String> previous, List<String> current) {
        if (previous.isEmpty()) {
            return 0;
        }
        for (int end = current.size(); end > 0; end--) {
            int m = Math.min(previous.size(), end);
            if (current.subList(end - m, end).equals(previous.subList(previous.size() - m, previous.size()))) {
                return end;
            }
        }
        return 0;
    }
}
