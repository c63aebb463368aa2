package io.keisei.common.rest;

import io.keisei.contracts.api.FieldError;
import java.util.List;

/**
 * Thrown by resources and services to answer with a problem document; the mapper turns it into
 * an RFC 9457 response, so business code never builds HTTP responses for errors.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final String state;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, String title, String detail, List<FieldError> errors, String state,
                            Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.state = state;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ProblemException badRequest(String detail, List<FieldError> errors) {
        return new ProblemException(400, "Invalid request", detail, errors, null, null);
    }

    public static ProblemException badRequest(String field, String message) {
        return badRequest(field + ": " + message, List.of(new FieldError(field, message)));
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "Not found", what + " '" + id + "' does not exist", null, null, null);
    }

    public static ProblemException conflict(String detail, String currentState) {
        return new ProblemException(409, "Conflict", detail, null, currentState, null);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "Cannot be satisfied", detail, null, null, null);
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, "Service unavailable", detail, null, null, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String state() {
        return state;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
