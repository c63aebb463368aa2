package io.keisei.gateway.auth;

import io.keisei.common.rest.ProblemException;

import java.sql.SQLException;

/** Resolves the Authorization header to a principal, or answers 401. */
public final class BearerTokens {

    private BearerTokens() {
    }

    public static Principal authenticate(String authorization, TokenStore tokens) throws SQLException {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(401, "Unauthorized", "send 'Authorization: Bearer <token>'", null, null, null);
        }
        return tokens.findActive(authorization.substring(7).strip())
                .orElseThrow(() -> new ProblemException(401, "Unauthorized", "unknown or revoked token", null, null, null));
    }
}
