package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

/** A named starting point for a session's config. */
public record ConfigTemplate(String name, String title, String description, JsonNode config) {
}
