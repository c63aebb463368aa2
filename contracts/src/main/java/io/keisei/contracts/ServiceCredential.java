package io.keisei.contracts;

/**
 * The shared secret that internal services (training, metrics, resource) require from every caller
 * but their health probes: the gateway and training-service send it, service-common's
 * {@code ServiceCredentialFilter} checks it. Named once here so both sides agree.
 */
public final class ServiceCredential {

    /** The request header that carries it: its own header, never the user's Authorization. */
    public static final String HEADER = "Keisei-Service-Credential";

    /** The environment variable every service (and {@code ./keisei up}) reads it from. */
    public static final String ENV = "KEISEI_SERVICE_TOKEN";

    /** Shorter values are refused at start-up: a guessable shared secret protects nothing. */
    public static final int MIN_LENGTH = 20;

    private ServiceCredential() {
    }
}
