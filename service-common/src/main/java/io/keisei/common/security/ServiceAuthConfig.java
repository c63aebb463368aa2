package io.keisei.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The service credential ({@code keisei.service-auth.*}): the shared secret of the suite, which every
 * service holds (the gateway and training-service to send it, the internal services to check it).
 */
@ConfigMapping(prefix = "keisei.service-auth")
public interface ServiceAuthConfig {

    /**
     * Whether every HTTP request but the health probes must carry the credential: true in the internal
     * services; false in the gateway, whose public API has its own token auth.
     */
    @WithDefault("true")
    boolean required();

    /** The credential ({@code KEISEI_SERVICE_TOKEN}); a service refuses to start without one. */
    Optional<String> token();
}
