package io.keisei.contracts.config;

/** One invalid config value: its dotted path (e.g. {@code training.learning_rate}) and what is wrong. */
public record ConfigError(String field, String message) {
}
