package io.keisei.training.launcher;

/**
 * The config file an attempt's trainer reads, rendered in its trainer's dialect.
 *
 * @param fileName the file's name without directory ({@code config.json} or {@code config.toml}): Keisei picks the
 *                 parser by extension
 * @param content  the whole file
 */
public record TrainerConfigFile(String fileName, String content) {
}
