package io.keisei.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.keisei.common.rest.ProblemException;

/**
 * keisei-train configs as people keep them: TOML files. A document is read into the JSON form a session stores
 * (tables become objects), so that an existing {@code keisei-katago.toml} can be pasted as it is.
 */
public final class TomlDocuments {

    private static final TomlMapper TOML = new TomlMapper();

    private TomlDocuments() {
    }

    /** The document as JSON, or a 400 problem on {@code field} saying where the TOML is malformed. */
    public static JsonNode parse(String toml, String field) {
        try {
            JsonNode doc = TOML.readTree(toml);
            return doc == null || doc.isMissingNode() ? TOML.createObjectNode() : doc;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw ProblemException.badRequest(field, "malformed TOML" + where + ": " + e.getOriginalMessage());
        }
    }
}
