package io.keisei.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.client.Service;
import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Resolves bearer tokens to principals. Valid tokens are cached in-process for a short TTL so the
 * hot path (session status) does not touch PostgreSQL; a revocation clears this replica's cache at
 * once and other replicas within the TTL.
 */
@ApplicationScoped
public class TokenAuthenticator {

    private final TokenStore tokens;
    private final Cache<String, Principal> byHash;

    public TokenAuthenticator(TokenStore tokens, GatewayConfig config) {
        this.tokens = tokens;
        this.byHash = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.auth().cacheTtl()).build();
    }

    /** From an Authorization header value. */
    public Principal fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("send 'Authorization: Bearer <token>'");
        }
        return fromToken(authorization.substring(7).strip());
    }

    public Principal fromToken(String token) {
        if (token == null || token.isBlank() || token.length() > 512) {
            throw unauthorized("unknown or revoked token");
        }
        String hash = TokenHashing.sha256(token);
        Principal cached = byHash.getIfPresent(hash);
        if (cached != null) {
            return cached;
        }
        Optional<Principal> found;
        try {
            found = tokens.findActive(token);
        } catch (SQLException e) {
            throw new ProblemException(503, "Service Unavailable", "the token store is unavailable; try again", null, null, null);
        }
        Principal p = found.orElseThrow(() -> unauthorized("unknown or revoked token"));
        byHash.put(hash, p);
        return p;
    }

    public void forget(String tokenId) {
        byHash.asMap().values().removeIf(p -> p.tokenId().equals(tokenId));
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, null, null, null);
    }
}
