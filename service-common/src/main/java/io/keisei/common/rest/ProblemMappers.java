package io.keisei.common.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.keisei.contracts.api.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Turns every failure into RFC 9457 problem+json: field errors for validation, the current
 * state for conflicts, 503 with Retry-After when PostgreSQL or Redis is unavailable ({@link DependencyOutage}),
 * and a plain 500 without a stack trace for bugs (logged here instead).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final long OUTAGE_LOG_EVERY_SECONDS = 10;

    private static final Map<DependencyOutage.Dependency, AtomicLong> LAST_OUTAGE_LOG = perDependency();
    private static final Map<DependencyOutage.Dependency, AtomicLong> QUIET_OUTAGES = perDependency();

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder rb = respond(new Problem("about:blank", e.title(), e.status(), e.getMessage(),
                path(uri), e.errors(), e.state()));
        if (e.retryAfterSeconds() != null) {
            rb.header("Retry-After", e.retryAfterSeconds());
        }
        return rb.build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Invalid request", 400, detail, path(uri), errors, null)).build();
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, UriInfo uri) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        String message = JsonMessages.readable(firstLine(e.getOriginalMessage()));
        List<FieldError> errors = field.isEmpty() ? List.of() : List.of(new FieldError(field, message));
        String detail = (field.isEmpty() ? "" : field + ": ") + message + JsonMessages.where(e.getLocation());
        return respond(new Problem("about:blank", "Invalid request body", 400, detail, path(uri), errors, null)).build();
    }

    // Quarkus ships mappers for these exact types; mapping them here keeps every error problem+json.
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return jsonMapping(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, UriInfo uri) {
        return jsonSyntax(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonEof(JsonEOFException e, UriInfo uri) {
        return jsonSyntax(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonSyntax(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException m) {
            return jsonMapping(m, uri);
        }
        String detail = JsonMessages.readable(firstLine(e.getOriginalMessage())) + JsonMessages.where(e.getLocation());
        return respond(new Problem("about:blank", "Malformed JSON", 400, detail, path(uri),
                List.of(new FieldError("body", detail)), null)).build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri, HttpHeaders headers, Request request) {
        // A body the JSON reader could not read arrives wrapped: say where it broke, not just "400".
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof JsonProcessingException j) {
                return jsonSyntax(j, uri);
            }
        }
        int status = e.getResponse().getStatus();
        Response.Status s = Response.Status.fromStatusCode(status);
        String title = s != null ? s.getReasonPhrase() : "HTTP " + status;
        String detail = e.getMessage() == null ? title : firstLine(e.getMessage());
        if (detail.isBlank() || detail.startsWith("HTTP " + status) || detail.equals(title)) {
            detail = frameworkDetail(status, headers, request);
        }
        return respond(new Problem("about:blank", title, status, detail, path(uri), null, null)).build();
    }

    /** What the framework's own refusals mean for the client, where it only says "HTTP 415". */
    private static String frameworkDetail(int status, HttpHeaders headers, Request request) {
        String contentType = headers == null || headers.getMediaType() == null ? "none" : headers.getMediaType().toString();
        return switch (status) {
            case 400 -> "the request could not be read (check the parameters and the body)";
            case 404 -> "no such resource or endpoint";
            case 405 -> "method " + (request == null ? "" : request.getMethod() + " ") + "is not allowed here";
            case 406 -> "none of the accepted media types can be produced here; accept application/json";
            case 415 -> "Content-Type " + contentType + " is not accepted here; send application/json";
            default -> "the request was refused (" + status + ")";
        };
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        Optional<DependencyOutage> outage = DependencyOutage.of(e);
        if (outage.isPresent()) {
            return unavailable(outage.get(), uri);
        }
        LOG.errorf(e, "unexpected failure on %s", path(uri));
        return respond(new Problem("about:blank", "Internal error", 500,
                "the request failed unexpectedly; the server log has the details", path(uri), null, null)).build();
    }

    /**
     * PostgreSQL or Redis is unavailable: 503 with Retry-After, not a 500, and one warning line without a stack
     * trace (at most one per dependency every {@value #OUTAGE_LOG_EVERY_SECONDS} s, counting the requests between).
     */
    private Response unavailable(DependencyOutage outage, UriInfo uri) {
        AtomicLong last = LAST_OUTAGE_LOG.get(outage.dependency());
        AtomicLong quiet = QUIET_OUTAGES.get(outage.dependency());
        long now = System.nanoTime();
        long before = last.get();
        if ((before == 0 || now - before >= TimeUnit.SECONDS.toNanos(OUTAGE_LOG_EVERY_SECONDS)) && last.compareAndSet(before, now)) {
            long more = quiet.getAndSet(0);
            LOG.warnf("%s unavailable, %s answered 503: %s%s", outage.dependency().label(), path(uri), outage.reason(),
                    more == 0 ? "" : " (and " + more + " more requests in the last " + OUTAGE_LOG_EVERY_SECONDS + " s)");
        } else {
            quiet.incrementAndGet();
        }
        return problem(outage.problem(), uri);
    }

    private static Response.ResponseBuilder respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p);
    }

    private static Map<DependencyOutage.Dependency, AtomicLong> perDependency() {
        Map<DependencyOutage.Dependency, AtomicLong> m = new EnumMap<>(DependencyOutage.Dependency.class);
        for (DependencyOutage.Dependency d : DependencyOutage.Dependency.values()) {
            m.put(d, new AtomicLong());
        }
        return m;
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // Property paths of method parameters look like "create.body.name": drop the method and parameter.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.");
        if (parts.length > 2) {
            return String.join(".", List.of(parts).subList(2, parts.length));
        }
        return parts[parts.length - 1];
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
