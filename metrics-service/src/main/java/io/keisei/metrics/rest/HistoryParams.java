package io.keisei.metrics.rest;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.api.FieldError;
import io.keisei.metrics.service.HistoryService;
import io.keisei.metrics.service.PageCursor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Parses and validates the query parameters of the history endpoints, collecting every problem
 * as a field error (so a client sees all of them at once) before answering 400.
 */
final class HistoryParams {

    static final int DEFAULT_MAX_POINTS = 1_000;
    static final int MIN_MAX_POINTS = 10;
    static final int MAX_MAX_POINTS = 10_000;
    static final int DEFAULT_CLOCK_POINTS = 500;
    static final int MIN_CLOCK_POINTS = 2;
    static final int DEFAULT_LIMIT = 1_000;
    static final int MAX_LIMIT = 10_000;
    static final int MAX_NAMES = 100;

    private final List<FieldError> errors = new ArrayList<>();

    private HistoryParams() {
    }

    static HistoryService.Query history(String session, String names, String from, String to, String maxPoints) {
        HistoryParams p = new HistoryParams();
        List<String> n = p.names(names);
        long f = p.step("from", from, 0);
        long t = p.step("to", to, Long.MAX_VALUE);
        int m = p.bounded("max_points", maxPoints, DEFAULT_MAX_POINTS, MIN_MAX_POINTS, MAX_MAX_POINTS);
        p.range(f, t);
        p.throwIfAny();
        return new HistoryService.Query(session, n, f, t, m);
    }

    static HistoryService.ClockQuery clock(String session, String from, String to, String maxPoints) {
        HistoryParams p = new HistoryParams();
        long f = p.step("from", from, 0);
        long t = p.step("to", to, Long.MAX_VALUE);
        int m = p.bounded("max_points", maxPoints, DEFAULT_CLOCK_POINTS, MIN_CLOCK_POINTS, MAX_MAX_POINTS);
        p.range(f, t);
        p.throwIfAny();
        return new HistoryService.ClockQuery(session, f, t, m);
    }

    static HistoryService.PageQuery page(String session, String names, String from, String to, String cursor,
                                         String limit) {
        HistoryParams p = new HistoryParams();
        List<String> n = p.names(names);
        long f = p.step("from", from, 0);
        long t = p.step("to", to, Long.MAX_VALUE);
        int l = p.bounded("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
        PageCursor c = null;
        if (cursor != null && !cursor.isEmpty()) {
            c = PageCursor.decode(cursor);
            if (c == null) {
                p.errors.add(new FieldError("cursor", "is not a cursor issued by this service"));
            }
        }
        p.range(f, t);
        p.throwIfAny();
        return new HistoryService.PageQuery(session, n, f, t, c, l);
    }

    static List<String> namesOnly(String names) {
        HistoryParams p = new HistoryParams();
        List<String> n = p.names(names);
        p.throwIfAny();
        return n;
    }

    /** Null when absent (all metrics of the session). */
    private List<String> names(String raw) {
        if (raw == null) {
            return null;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String part : raw.split(",", -1)) {
            String name = part.trim();
            if (!MetricNames.isValid(name)) {
                errors.add(new FieldError("names", "'" + name + "' is not a metric name (letters, digits, _ / . -; at most "
                        + MetricNames.MAX_NAME_LENGTH + " characters)"));
                return null;
            }
            out.add(name);
        }
        if (out.size() > MAX_NAMES) {
            errors.add(new FieldError("names", "at most " + MAX_NAMES + " names per request"));
            return null;
        }
        return List.copyOf(out);
    }

    private long step(String field, String raw, long absent) {
        if (raw == null || raw.isEmpty()) {
            return absent;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < 0) {
                errors.add(new FieldError(field, "must be a step >= 0"));
            }
            return v;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be an integer step"));
            return absent;
        }
    }

    private int bounded(String field, String raw, int absent, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return absent;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < min || v > max) {
                errors.add(new FieldError(field, "must be between " + min + " and " + max));
                return absent;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be an integer between " + min + " and " + max));
            return absent;
        }
    }

    private void range(long from, long to) {
        if (from >= 0 && to >= 0 && from > to && errors.stream().noneMatch(e -> e.field().equals("from") || e.field().equals("to"))) {
            errors.add(new FieldError("to", "must be >= from (" + from + ")"));
        }
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(
                    errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), errors);
        }
    }
}
