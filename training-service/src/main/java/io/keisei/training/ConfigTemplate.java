package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A named starting point for a session's config.
 *
 * @param trainer   the trainer a session made from it uses unless it names another of the same dialect: for the
 *                  Keisei templates the registered custom trainer of that dialect (its suggested name, e.g.
 *                  keisei-2026, when no such trainer is registered)
 * @param dialect   the config dialect of {@code config}, e.g. keisei-2026
 * @param available whether such a trainer is registered here (custom trainers are registered by the operator)
 */
public record ConfigTemplate(String name, String title, String description, String trainer, String dialect,
                             boolean available, JsonNode config) {
}
