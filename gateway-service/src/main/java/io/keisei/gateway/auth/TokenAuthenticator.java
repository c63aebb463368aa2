package io.keisei.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resolves bearer tokens to principals. Valid tokens are cached in-process for a short TTL so the
 * hot path (session status) does not touch PostgreSQL; a revocation clears the caches of every replica
 * at once ({@link TokenRevocations}), and the TTL bounds how long a replica that missed it trusts the token.
 */
@ApplicationScoped
public class TokenAuthenticator {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(TokenAuthenticator.class);
    private static final int STORE_RETRY_AFTER_SECONDS = 5;

    private final TokenStore tokens;
    private final Cache<String, Principal> byHash;
    /** Hashes PostgreSQL did not know a moment ago: a replayed bad token costs no query. */
    private final Cache<String, Boolean> unknownHashes;
    /**
     * Hashes that were valid lately, with their principal: their callers get past a spent address budget to a real
     * (revocation-aware) check, and keep working while PostgreSQL is unreachable (a revocation needs PostgreSQL too,
     * so none can have happened that this cache has not heard of).
     */
    private final Cache<String, Principal> recentlyValid;
    private final java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Counts {@link #forget}s: a look-up that a forget overtook drops what it read, which may predate the
     * revocation's commit (else a replica could cache a revoked token for another TTL).
     */
    private final AtomicLong forgets = new AtomicLong();
    private final FailedAuthBudget failures;

    public TokenAuthenticator(TokenStore tokens, GatewayConfig config) {
        this.tokens = tokens;
        this.byHash = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(config.auth().cacheTtl()).build();
        this.unknownHashes = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(config.auth().unknownTokenTtl()).build();
        this.recentlyValid = Caffeine.newBuilder().maximumSize(50_000).expireAfterAccess(java.time.Duration.ofMinutes(15)).build();
        this.failures = new FailedAuthBudget(config.auth().failuresPerAddress(), config.auth().failureWindow(), System::nanoTime);
    }

    /**
     * From an Authorization header value, for a client at {@code address}. An address past its budget of
     * failed authentications gets 429 without a lookup, except for tokens that were valid lately: users
     * behind the same proxy as an attacker keep working.
     */
    public Principal fromHeader(String authorization, String address) {
        long retryAfter = refusedFor(authorization, address);
        if (retryAfter > 0) {
            throw new ProblemException(429, "Too Many Requests", REFUSED, null, null, (int) retryAfter);
        }
        try {
            return fromHeader(authorization);
        } catch (ProblemException e) {
            if (e.status() == 401) {
                failures.failed(address);
            }
            throw e;
        }
    }

    static final String REFUSED = "too many requests with a missing, unknown or revoked token from this address; try again later";

    /** Seconds a request from {@code address} with this Authorization header must wait; 0 when it may be checked. */
    public long refusedFor(String authorization, String address) {
        long retryAfter = failures.retryAfterSeconds(address);
        return retryAfter > 0 && !recentlyValid(authorization) ? retryAfter : 0;
    }

    private boolean recentlyValid(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 600) {
            return false;
        }
        return recentlyValid.getIfPresent(TokenHashing.sha256(authorization.substring(7).strip())) != null;
    }

    /** From an Authorization header value. */
    private Principal fromHeader(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("send 'Authorization: Bearer <token>'");
        }
        return fromToken(authorization.substring(7).strip());
    }

    private Principal fromToken(String token) {
        if (token == null || token.isBlank() || token.length() > 512) {
            throw unauthorized("unknown or revoked token");
        }
        String hash = TokenHashing.sha256(token);
        Principal cached = byHash.getIfPresent(hash);
        if (cached != null) {
            recentlyValid.getIfPresent(hash); // keeps it "lately valid" while it is in use
            return cached;
        }
        if (unknownHashes.getIfPresent(hash) != null) {
            throw unauthorized("unknown or revoked token");
        }
        long forgetsBefore = forgets.get();
        Optional<Principal> found;
        try {
            found = tokens.findActive(token);
            if (storeDown.compareAndSet(true, false)) {
                LOG.info("token store reachable again");
            }
        } catch (SQLException e) {
            Principal lately = recentlyValid.getIfPresent(hash);
            if (storeDown.compareAndSet(false, true)) {
                LOG.warnf("token store unavailable (%s): tokens used in the last 15 min keep working, others get 503",
                        e.getMessage());
            }
            if (lately != null) {
                return lately;
            }
            throw ProblemException.unavailable("the token store is unavailable; try again shortly", STORE_RETRY_AFTER_SECONDS);
        }
        if (found.isEmpty()) {
            unknownHashes.put(hash, Boolean.TRUE);
            throw unauthorized("unknown or revoked token");
        }
        Principal p = found.get();
        byHash.put(hash, p);
        recentlyValid.put(hash, p);
        if (forgets.get() != forgetsBefore) {
            byHash.asMap().remove(hash, p); // a forget came in meanwhile: ask again next time
        }
        return p;
    }

    /** Forgets a token that is no longer valid (revoked): its next use is checked against PostgreSQL. */
    public void forget(String tokenId) {
        forgets.incrementAndGet(); // before the removal: a look-up in flight then drops what it puts (see fromToken)
        byHash.asMap().values().removeIf(p -> p.tokenId().equals(tokenId));
        recentlyValid.asMap().values().removeIf(p -> p.tokenId().equals(tokenId));
    }

    /** Forgets every valid token (revocations may have been missed): each is checked against PostgreSQL again. */
    public void forgetAll() {
        forgets.incrementAndGet();
        byHash.invalidateAll();
        recentlyValid.invalidateAll(); // nor may they carry a request through a PostgreSQL outage

    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "Unauthorized", detail, null, null, null);
    }
}
