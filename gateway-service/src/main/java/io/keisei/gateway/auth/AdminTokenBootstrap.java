package io.keisei.gateway.auth;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Stores the configured admin token (hashed) at start-up, so the first user can sign in. A changed admin token
 * revokes the previous one on every replica (the replicas still running with it refuse it from then on).
 */
@ApplicationScoped
public class AdminTokenBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminTokenBootstrap.class);
    /** Shorter tokens are guessable; refuse them rather than run with weak security. */
    static final int MIN_LENGTH = 20;

    private final GatewayConfig config;
    private final TokenStore tokens;
    private final TokenRevocations revocations;

    public AdminTokenBootstrap(GatewayConfig config, TokenStore tokens, TokenRevocations revocations) {
        this.config = config;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        String token = config.adminToken().map(String::strip).orElse("");
        if (token.isEmpty()) {
            LOG.warn("no admin token configured (KEISEI_ADMIN_TOKEN); only existing tokens can sign in");
            return;
        }
        if (token.length() < MIN_LENGTH) {
            throw new IllegalStateException("KEISEI_ADMIN_TOKEN must be at least " + MIN_LENGTH + " characters");
        }
        if (tokens.upsertBootstrapAdmin(token)) {
            revocations.revoked(TokenStore.BOOTSTRAP_ADMIN_ID);
            LOG.info("admin token registered (stored hashed); it replaces the previous one, which no longer works");
        } else {
            LOG.info("admin token registered (stored hashed)");
        }
    }
}
