package io.keisei.training.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.keisei.contracts.config.Keisei2025ConfigFile;
import io.keisei.contracts.config.Keisei2026Schema;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Renders a session's effective config into the file its trainer reads. */
public final class TrainerConfigFiles {

    /** The database keisei-train writes, beside the session's checkpoints: every attempt resumes from it. */
    public static final String KEISEI_DATABASE = "keisei.db";

    private static final TomlMapper TOML = new TomlMapper();

    private TrainerConfigFiles() {
    }

    /**
     * @param checkpointDir the session's checkpoint directory (the same path wherever the trainer runs)
     */
    public static TrainerConfigFile render(TrainerProgram program, ObjectNode config, Path checkpointDir) {
        if (program.isBuiltin()) {
            return new TrainerConfigFile("config.json", config.toPrettyString());
        }
        return switch (program.dialect()) {
            case KEISEI_2025 -> new TrainerConfigFile("config.json", Keisei2025ConfigFile.render(config).toPrettyString());
            case KEISEI_2026 -> new TrainerConfigFile("config.toml", keiseiTrainToml(config, checkpointDir));
        };
    }

    /**
     * keisei-train's TOML: our resources table left out, the session's own checkpoint directory and database put in
     * (absolute, so Keisei's resolution against the config file's directory leaves them as they are), no nulls
     * (TOML has none: a null means "Keisei's default").
     */
    static String keiseiTrainToml(ObjectNode config, Path checkpointDir) {
        ObjectNode doc = config.deepCopy();
        doc.remove(Keisei2026Schema.RESOURCES);
        ((ObjectNode) doc.with("training")).put("checkpoint_dir", checkpointDir.toAbsolutePath().toString());
        ((ObjectNode) doc.with("display")).put("db_path", checkpointDir.toAbsolutePath().resolveSibling(KEISEI_DATABASE).toString());
        removeNulls(doc);
        try {
            return "# Written by Keisei Web UI for keisei-train; edit the session's config instead.\n" + TOML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config cannot be written as TOML: " + e.getOriginalMessage(), e);
        }
    }

    private static void removeNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> nulls = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    removeNulls(e.getValue());
                }
            }
            o.remove(nulls);
        } else if (node != null && node.isArray()) {
            node.forEach(TrainerConfigFiles::removeNulls);
        }
    }
}
