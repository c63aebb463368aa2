package io.keisei.cli.trainingconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;

import java.util.List;

/**
 * Puts {@code --set} values into a config (the overlay of a new session, or a session's whole config), creating
 * the sections on the way: {@code training.learning_rate=1e-4} on {@code {}} gives
 * {@code {"training": {"learning_rate": 0.0001}}}. Whether the names and values are valid is the server's call:
 * its field errors name the same dotted paths.
 */
public final class ConfigOverlay {

    private ConfigOverlay() {
    }

    /** {@code base} (not changed) with the settings applied, in order: a later one wins. */
    public static ObjectNode apply(ObjectNode base, List<Setting> settings) {
        ObjectNode result = base == null ? Json.MAPPER.createObjectNode() : base.deepCopy();
        for (Setting s : settings) {
            ObjectNode node = result;
            List<String> path = s.path();
            for (int i = 0; i < path.size() - 1; i++) {
                JsonNode child = node.get(path.get(i));
                if (child == null || child.isNull()) {
                    node = node.putObject(path.get(i));
                } else if (child.isObject()) {
                    node = (ObjectNode) child;
                } else {
                    throw new CliException(ExitCodes.USAGE, "--set " + s.dotted() + ": '" + String.join(".", path.subList(0, i + 1))
                            + "' is a value (" + child + "), not a section");
                }
            }
            node.set(path.get(path.size() - 1), s.value());
        }
        return result;
    }
}
