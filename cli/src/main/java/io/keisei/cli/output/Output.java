package io.keisei.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Where a command's result goes, in the format {@code -o} asked for. JSON and YAML are the API's answer as it
 * came (scripts get every field); the table view is the command's own summary of it.
 */
public final class Output {

    private final OutputFormat format;
    private final PrintStream out;
    private final Terminal terminal;

    public Output(OutputFormat format, PrintStream out, Terminal terminal) {
        this.format = format;
        this.out = out;
        this.terminal = terminal;
    }

    public OutputFormat format() {
        return format;
    }

    public boolean isTable() {
        return format == OutputFormat.TABLE;
    }

    public PrintStream stream() {
        return out;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** The answer: {@code tableView} for tables (lazily built), else the document itself. */
    public void print(JsonNode answer, Supplier<String> tableView) {
        if (isTable()) {
            out.print(tableView.get());
        } else {
            document(answer);
        }
    }

    /** The document as JSON or YAML (YAML for the table format too: a tree has no table). */
    public void document(JsonNode node) {
        if (format == OutputFormat.JSON) {
            out.println(Json.pretty(node));
        } else {
            out.print(yaml(node));
        }
    }

    public String render(Table table) {
        return table.render(terminal.width());
    }

    public String render(Details details) {
        return details.render(terminal.width());
    }

    /** A line for people; left out under -o json|yaml so that the output stays one document. */
    public void note(String line) {
        if (isTable()) {
            out.println(line);
        }
    }

    /** YAML through jackson-dataformat-yaml, loaded only when asked for: it costs start-up time. */
    static String yaml(JsonNode node) {
        try {
            return YamlHolder.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class YamlHolder {
        static final ObjectMapper MAPPER = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper(
                com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                        .disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build());
    }
}
