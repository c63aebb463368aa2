package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named starting point for a session's config.
 *
 * @param trainer   the trainer the template is written for (a session made from it uses that trainer unless it names
 *                  another of the same dialect)
 * @param dialect   the config dialect of {@code config}, e.g. keisei-2026
 * @param available whether that trainer is registered here (custom trainers are registered by the operator)
 */
public record ConfigTemplate(String name, String title, String description, String trainer, String dialect,
                             boolean available, JsonNode config) {
}
