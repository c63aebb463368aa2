package io.keisei.metrics.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Position in a paged read of raw points: the last metric and step returned. Opaque to clients
 * (base64url of {@code v1@metric@step}); metric names never contain '@'.
 */
public record PageCursor(String metric, long step) {

    private static final String PREFIX = "v1@";

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + metric + "@" + step).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null when {@code text} is not one this service issued. */
    public static PageCursor decode(String text) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            if (!s.startsWith(PREFIX)) {
                return null;
            }
            int at = s.lastIndexOf('@');
            if (at <= PREFIX.length()) {
                return null;
            }
            long step = Long.parseLong(s.substring(at + 1));
            return step < 0 ? null : new PageCursor(s.substring(PREFIX.length(), at), step);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
