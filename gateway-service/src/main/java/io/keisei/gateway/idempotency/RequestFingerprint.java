package io.keisei.gateway.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two requests under one key "the same request": method, path (with the query, as sent) and the body's
 * SHA-256, byte for byte (a retry sends the same bytes; JSON that means the same but is written differently is
 * another request).
 */
public record RequestFingerprint(String method, String pathAndQuery, String bodySha256) {

    public static RequestFingerprint of(String method, String pathAndQuery, byte[] body) {
        return new RequestFingerprint(method, pathAndQuery, sha256(body == null ? new byte[0] : body));
    }

    /** "POST /api/v1/sessions": the request, for people (a problem's detail). */
    public String describe() {
        return method + " " + pathAndQuery;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
