package io.keisei.gateway.idempotency;

import io.keisei.common.rest.ProblemException;

import java.util.List;
import java.util.Optional;

/**
 * The value of an {@code Idempotency-Key} header: 1 to 255 printable ASCII characters (a UUID does well), compared
 * exactly. A key is the caller's own: the same value sent with another token is another key ({@link CallerScope}).
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    /** Sent with an answer that is a replay of the first one. */
    public static final String REPLAYED = "Idempotent-Replayed";
    public static final int MAX_LENGTH = 255;
    static final String RULE = "1 to " + MAX_LENGTH + " printable ASCII characters (e.g. a UUID), sent once";

    public IdempotencyKey {
        if (!valid(value)) {
            throw invalid();
        }
    }

    /** The key of a request's headers, none when it has no such header; a bad value, or two of them, is a 400. */
    public static Optional<IdempotencyKey> of(List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1) {
            throw invalid();
        }
        return Optional.of(new IdempotencyKey(headerValues.get(0)));
    }

    static boolean valid(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException invalid() {
        return ProblemException.badRequest(HEADER, RULE);
    }
}
