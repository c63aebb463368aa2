package io.keisei.cli.output;

/** {@code -o}: a table (or a short summary) for people, JSON or YAML of the API's answer for scripts. */
public enum OutputFormat {
    TABLE, JSON, YAML
}
