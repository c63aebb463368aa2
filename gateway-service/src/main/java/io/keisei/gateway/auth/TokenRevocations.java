package io.keisei.gateway.auth;

import io.keisei.contracts.Channels;
import io.keisei.gateway.cache.Invalidations;
import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * How a token that stops being valid stops working on every replica at once. After the database commit, the
 * replica that revoked it forgets it and publishes its id on {@link Channels#GATEWAY_TOKEN_REVOKED} (through
 * {@link Invalidations}, the pub/sub subscription the response cache uses too); every replica, this one again,
 * forgets it from its token cache and fires {@link Revoked}, on which the hub closes the WebSocket connections
 * authenticated with it. A replica that may have missed revocations (its subscription was lost, or is new)
 * forgets every cached token and fires {@link MayHaveMissed}, on which the hub checks its connections' tokens
 * against PostgreSQL. Where a message is lost unnoticed, the token cache's TTL is the bound, as it was before.
 */
@ApplicationScoped
public class TokenRevocations {

    /** The token with this id is no longer valid. */
    public record Revoked(String tokenId) {
    }

    /** Any token may have been revoked without this replica hearing of it. */
    public record MayHaveMissed() {
    }

    private static final Logger LOG = Logger.getLogger(TokenRevocations.class);

    private final TokenAuthenticator authenticator;
    private final TokenStore tokens;
    private final Invalidations invalidations;
    private final Event<Revoked> revoked;
    private final Event<MayHaveMissed> mayHaveMissed;
    private final Duration cacheTtl;

    public TokenRevocations(TokenAuthenticator authenticator, TokenStore tokens, Invalidations invalidations,
                            Event<Revoked> revoked, Event<MayHaveMissed> mayHaveMissed, GatewayConfig config) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.invalidations = invalidations;
        this.revoked = revoked;
        this.mayHaveMissed = mayHaveMissed;
        this.cacheTtl = config.auth().cacheTtl();
    }

    /** Call after the database commit that made the token invalid: here at once, on the other replicas within moments. */
    public void revoked(String tokenId) {
        forget(tokenId);
        if (!invalidations.publish(Channels.GATEWAY_TOKEN_REVOKED, tokenId)) {
            LOG.warnf("could not tell the other gateway replicas that token %s is revoked (Redis unavailable): they "
                    + "accept it for at most %s more", tokenId, cacheTtl);
        }
    }

    /** Of these token ids, those still valid in PostgreSQL. */
    public Set<String> stillActive(Collection<String> tokenIds) throws SQLException {
        return tokens.activeAmong(tokenIds);
    }

    void on(@Observes Invalidations.Message m) {
        if (Channels.GATEWAY_TOKEN_REVOKED.equals(m.channel()) && m.payload() != null && !m.payload().isBlank()) {
            forget(m.payload().strip());
        }
    }

    void on(@Observes Invalidations.Resync ignored) {
        authenticator.forgetAll();
        mayHaveMissed.fire(new MayHaveMissed());
    }

    private void forget(String tokenId) {
        authenticator.forget(tokenId);
        revoked.fire(new Revoked(tokenId));
    }
}
