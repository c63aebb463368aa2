package io.keisei.gateway.auth;

import io.keisei.common.rest.ProblemException;
import io.keisei.common.security.ServiceCredentials;
import io.keisei.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signed download links: {@code ?expires=<epoch seconds>&signature=<HMAC-SHA256 of the model id and the expiry,
 * base64url>}. A link is its own credential until it expires, so it can be opened in a new tab or shared; whoever
 * asks for one needs what a download needs ({@code ModelsResource}). The key is the same on every replica: the
 * configured {@code keisei.gateway.downloads.signing-key}, else one derived from the service credential they share.
 */
@ApplicationScoped
public class DownloadLinks {

    public static final String EXPIRES = "expires";
    public static final String SIGNATURE = "signature";
    /** A configured signing key must have at least this many characters. */
    static final int MIN_KEY_LENGTH = 32;
    static final Duration MAX_LIFETIME = Duration.ofDays(1);
    private static final String HMAC = "HmacSHA256";
    /** What the derived key is for: a key derived for another purpose from the same credential differs. */
    private static final String DERIVATION_LABEL = "keisei download links v1";
    /** Longest signature read at all: a base64url HMAC-SHA256 has 43 characters. */
    private static final int MAX_SIGNATURE_LENGTH = 128;

    /** A link's query parameters and when it stops working. */
    public record Signed(long expires, String signature, Instant expiresAt) {
    }

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;

    @Inject
    public DownloadLinks(GatewayConfig config, ServiceCredentials credentials) {
        this(config.downloads().signingKey(), credentials.outgoing(), config.downloads().linkLifetime(), Clock.systemUTC());
    }

    DownloadLinks(Optional<String> configuredKey, String serviceCredential, Duration lifetime, Clock clock) {
        this.key = new SecretKeySpec(keyBytes(configuredKey, serviceCredential), HMAC);
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalStateException("KEISEI_DOWNLOAD_LINK_LIFETIME must be more than 0s and at most " + MAX_LIFETIME.toHours()
                    + "h (got " + lifetime + ")");
        }
        this.lifetime = lifetime;
        this.clock = clock;
    }

    private static byte[] keyBytes(Optional<String> configured, String serviceCredential) {
        String k = configured.map(String::strip).orElse("");
        if (!k.isEmpty()) {
            if (k.length() < MIN_KEY_LENGTH) {
                throw new IllegalStateException("KEISEI_DOWNLOAD_SIGNING_KEY must be at least " + MIN_KEY_LENGTH
                        + " characters (generate one with: openssl rand -base64 32)");
            }
            return k.getBytes(StandardCharsets.UTF_8);
        }
        return hmac(serviceCredential.getBytes(StandardCharsets.UTF_8), DERIVATION_LABEL);
    }

    /** How long a new link works. */
    public Duration lifetime() {
        return lifetime;
    }

    /** A link to {@code modelId} that works for the configured lifetime from now. */
    public Signed sign(String modelId) {
        return sign(modelId, clock.instant().plus(lifetime));
    }

    /** A link to {@code modelId} that works until {@code expiresAt} (whole seconds). */
    public Signed sign(String modelId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac(modelId, expires));
        return new Signed(expires, signature, Instant.ofEpochSecond(expires));
    }

    /**
     * Checks a link to {@code modelId}: a 403 problem unless its signature is this gateway's for this model and expiry
     * (compared in constant time) and it has not expired.
     */
    public void verify(String modelId, String expires, String signature) {
        if (expires == null || signature == null || expires.isBlank() || signature.isBlank()) {
            throw refused("a signed download link needs both '" + EXPIRES + "' and '" + SIGNATURE + "'");
        }
        long at;
        byte[] presented;
        try {
            at = Long.parseLong(expires.strip());
            if (signature.length() > MAX_SIGNATURE_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            presented = Base64.getUrlDecoder().decode(signature.strip());
        } catch (IllegalArgumentException e) {
            throw tampered();
        }
        if (modelId == null || !MessageDigest.isEqual(mac(modelId, at), presented)) {
            throw tampered();
        }
        if (clock.instant().getEpochSecond() >= at) {
            throw refused("this download link expired at " + Instant.ofEpochSecond(at)
                    + "; ask for a new one (POST /api/v1/models/" + modelId + "/download-url)");
        }
    }

    private byte[] mac(String modelId, long expires) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(("download\n" + modelId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException tampered() {
        return refused("the download link is not valid for this model: it was altered or signed by another key; "
                + "ask for a new one");
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(403, "Forbidden", detail, null, null, null);
    }
}
