package io.keisei.cli.trainingconfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A training config given as a file ({@code --file}, or {@code -} for stdin): JSON (or YAML, read into the same
 * tree) becomes the {@code config} object of a request; a TOML file (keisei-train's own format) is sent as it is,
 * as {@code configToml}, because training-service reads TOML itself and answers its errors with line numbers.
 */
public record ConfigFile(ObjectNode json, String toml) {

    public boolean isToml() {
        return toml != null;
    }

    public static ConfigFile read(String name, InputStream stdin) {
        String text;
        try {
            text = name.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "no such file: " + name);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + name + ": " + e.getMessage());
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".toml")) {
            return new ConfigFile(null, text);
        }
        JsonNode tree;
        try {
            tree = lower.endsWith(".yaml") || lower.endsWith(".yml")
                    ? new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text)
                    : Json.parse(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new CliException(ExitCodes.USAGE, name + " is not valid " + (lower.endsWith("ml") ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + where);
        }
        if (tree == null || !tree.isObject()) {
            throw new CliException(ExitCodes.USAGE, name + " must hold one config object ({\"training\": {...}, ...})");
        }
        return new ConfigFile((ObjectNode) tree, null);
    }
}
