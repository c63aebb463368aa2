package io.keisei.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** gateway-service settings. Env: KEISEI_ADMIN_TOKEN, KEISEI_TRAINING_URL, ... */
@ConfigMapping(prefix = "keisei.gateway")
public interface GatewayConfig {

    /** The bootstrap admin token; stored hashed at start-up. */
    Optional<String> adminToken();

    Services services();

    /** Where the internal services answer. */
    interface Services {
        URI training();

        URI metrics();

        URI resource();

        /** Bound on every downstream call: a down service must never hang a request. */
        @WithDefault("2s")
        Duration timeout();
    }
}
