package io.keisei.gateway;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Ids from public URLs and WebSocket topics, checked before they are put into a downstream URL (no
 * traversal, no odd characters).
 */
public final class PathSegments {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    private PathSegments() {
    }

    public static boolean isValidId(String value) {
        return value != null && ID.matcher(value).matches() && !value.equals(".") && !value.equals("..");
    }

    public static String id(String field, String value) {
        if (!isValidId(value)) {
            throw new ProblemException(400, "Bad Request", "invalid " + field,
                    List.of(new FieldError(field, "must be 1-128 characters of letters, digits and _ . : @ -")), null, null);
        }
        return value;
    }
}
