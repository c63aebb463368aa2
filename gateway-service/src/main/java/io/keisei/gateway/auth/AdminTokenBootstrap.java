package io.keisei.gateway.auth;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/** Stores the configured admin token (hashed) at start-up, so the first user can sign in. */
@ApplicationScoped
public class AdminTokenBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminTokenBootstrap.class);
    /** Shorter tokens are guessable; refuse them rather than run with weak security. */
    static final int MIN_LENGTH = 20;

    private final GatewayConfig config;
    private final TokenStore tokens;

    public AdminTokenBootstrap(GatewayConfig config, TokenStore tokens) {
        this.config = config;
        this.tokens = tokens;
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
        tokens.upsertBootstrapAdmin(token);
        LOG.info("admin token registered (stored hashed)");
    }
}
