package io.keisei.cli.trainingconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.keisei.cli.output.Json;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --set PATH=VALUE}: a dotted path into the training config and a value. The value is JSON when it
 * parses as JSON ({@code 1e-4}, {@code true}, {@code [1,2]}, {@code "quoted"}), else the text as a string
 * ({@code cpu}), so numbers stay numbers without the user quoting anything.
 */
public record Setting(List<String> path, JsonNode value) {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_\\-/]+");

    /** Parses {@code training.learning_rate=1e-4}; an {@link IllegalArgumentException} says what is wrong. */
    public static Setting parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("'" + text + "' is not PATH=VALUE (e.g. training.learning_rate=1e-4)");
        }
        String key = text.substring(0, eq).strip();
        if (key.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has no path before '='");
        }
        List<String> path = List.of(key.split("\\.", -1));
        for (String segment : path) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("'" + key + "' is not a dotted path of names (e.g. training.learning_rate)");
            }
        }
        return new Setting(path, value(text.substring(eq + 1)));
    }

    static JsonNode value(String raw) {
        String v = raw.strip();
        if (v.isEmpty()) {
            return TextNode.valueOf(raw);
        }
        try {
            JsonNode n = Json.parse(v);
            return n == null || n.isMissingNode() ? TextNode.valueOf(raw) : n;
        } catch (Exception e) {
            return TextNode.valueOf(raw);
        }
    }

    public String dotted() {
        return String.join(".", path);
    }
}
