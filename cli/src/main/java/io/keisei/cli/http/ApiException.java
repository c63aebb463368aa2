package io.keisei.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * An error answer of the gateway. Its problem+json (RFC 9457: title, status, detail, errors[{field, message}])
 * becomes the message: the detail on the first line, then one line per field error, so that a config with
 * three mistakes shows all three.
 */
public final class ApiException extends CliException {

    /** One field error as the API reports it. */
    public record FieldError(String field, String message) {
    }

    private final int status;
    private final List<FieldError> errors;

    private ApiException(int status, String message, List<FieldError> errors) {
        super(ExitCodes.forStatus(status), message);
        this.status = status;
        this.errors = errors;
    }

    public int status() {
        return status;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** From a status and a body that may be problem+json, plain text or empty; {@code retryAfter} may be null. */
    public static ApiException of(int status, String method, String path, String body, String retryAfter) {
        JsonNode problem = null;
        try {
            problem = body == null || body.isBlank() ? null : Json.parse(body);
        } catch (Exception e) {
            // not JSON: the text is the detail
        }
        String detail;
        List<FieldError> errors = new ArrayList<>();
        if (problem != null && problem.isObject()) {
            detail = firstText(problem, "detail", "title", "message");
            for (JsonNode e : problem.path("errors")) {
                errors.add(new FieldError(e.path("field").asText(""), e.path("message").asText("")));
            }
        } else {
            detail = body == null || body.isBlank() ? null : firstLine(body);
        }
        if (detail == null) {
            detail = reason(status);
        }
        StringBuilder m = new StringBuilder(detail).append(" (").append(status);
        if (status == 404 || status >= 500) {
            m.append(' ').append(method).append(' ').append(path);
        }
        m.append(')');
        if (status == 401) {
            m.append(": log in again with 'keisei login'");
        }
        if (retryAfter != null && (status == 429 || status == 503)) {
            m.append("; retry after ").append(retryAfter).append(" s");
        }
        for (FieldError e : errors) {
            m.append(System.lineSeparator()).append("  ").append(e.field().isEmpty() ? "(request)" : e.field()).append(": ").append(e.message());
        }
        return new ApiException(status, m.toString(), List.copyOf(errors));
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            if (n.path(f).isTextual() && !n.path(f).asText().isBlank()) {
                return n.path(f).asText();
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "invalid request";
            case 401 -> "the gateway refused the token";
            case 403 -> "forbidden";
            case 404 -> "not found";
            case 409 -> "conflict";
            case 429 -> "too many requests";
            case 502, 503, 504 -> "the gateway or a service behind it is unavailable";
            default -> "HTTP " + status;
        };
    }
}
