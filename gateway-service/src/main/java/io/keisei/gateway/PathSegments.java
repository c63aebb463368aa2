package io.keisei.gateway;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;

import java.util.List;

/**
 * Ids from public URLs and WebSocket topics, checked before they are put into a downstream URL (no
 * traversal, no odd characters).
 */
public final class PathSegments {

    private PathSegments() {
    }

    /** 1-128 characters of letters, digits and _ . : @ - (not "." or ".."); checked by hand: it is on every request. */
    public static boolean isValidId(String value) {
        if (value == null || value.isEmpty() || value.length() > 128 || value.equals(".") || value.equals("..")) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String id(String field, String value) {
        if (!isValidId(value)) {
            throw new ProblemException(400, "Bad Request", "invalid " + field,
                    List.of(new FieldError(field, "must be 1-128 characters of letters, digits and _ . : @ -")), null, null);
        }
        return value;
    }
}
