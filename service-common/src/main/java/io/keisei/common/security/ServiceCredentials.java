package io.keisei.common.security;

import io.keisei.contracts.ServiceCredential;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * This service's copy of the service credential: checks what a caller presents and gives what this
 * service sends to the others. Every service needs one (there is no open mode): without it the
 * service refuses to start with one line saying what to set.
 */
@Singleton
public class ServiceCredentials {

    private final String token;
    private final byte[] expected;

    public ServiceCredentials(ServiceAuthConfig config) {
        this.token = validate(config.token());
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The credential, stripped; a {@link ConfigurationException} (printed as its message alone) when unusable. */
    static String validate(Optional<String> configured) {
        String t = configured.map(String::strip).orElse("");
        if (t.isEmpty()) {
            throw new ConfigurationException(ServiceCredential.ENV + " is not set: every Keisei service needs the shared service "
                    + "credential (./keisei up generates it into data/service.token; on Kubernetes it comes from the Secret "
                    + "keisei-service-credential, see docs/deploy.md)");
        }
        if (t.length() < ServiceCredential.MIN_LENGTH) {
            throw new ConfigurationException(ServiceCredential.ENV + " is too short (at least " + ServiceCredential.MIN_LENGTH
                    + " characters; generate one with: openssl rand -base64 32)");
        }
        return t;
    }

    void onStart(@Observes StartupEvent ev) {
        // Constructing the bean validated the credential: a service without one stops here, not at its first call.
    }

    /** Whether a caller presented this credential; constant time, so timing reveals nothing of it. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, presented.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The value to send in {@link ServiceCredential#HEADER} on calls to another service. */
    public String outgoing() {
        return token;
    }

    /** A filter for REST clients of other services that adds the credential to every request. */
    public ClientRequestFilter clientFilter() {
        return new Sender(token);
    }

    /** Adds the credential to each request of a REST client. */
    static final class Sender implements ClientRequestFilter {
        private final String token;

        Sender(String token) {
            this.token = token;
        }

        @Override
        public void filter(ClientRequestContext request) {
            request.getHeaders().putSingle(ServiceCredential.HEADER, token);
        }
    }
}
