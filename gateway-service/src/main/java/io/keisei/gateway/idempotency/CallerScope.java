package io.keisei.gateway.idempotency;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One caller's keys, derived from the secret of the bearer token that sent the request: where a key lives in Redis
 * and how its answer is sealed there.
 *
 * <p>Keys are per token: two tokens (even of one owner) never share one, so a replay never skips a check that the
 * token replaying it would have failed. The Redis key is {@code keisei:idempotency:<token id>:<HMAC of the key>},
 * so it reveals neither the client's key nor anything a database copy could rebuild. Answers are sealed with
 * AES-256-GCM under a key only the token's secret gives (not its SHA-256, which the database stores), bound to their
 * Redis key: createToken's answer holds a new token's secret, and Redis must not become a place to read secrets from.
 */
public final class CallerScope {

    static final String PREFIX = "keisei:idempotency:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String tokenId;
    private final byte[] nameKey;
    private final SecretKeySpec sealKey;

    private CallerScope(String tokenId, byte[] secretKey) {
        this.tokenId = tokenId;
        this.nameKey = hmac(secretKey, "name");
        this.sealKey = new SecretKeySpec(hmac(secretKey, "seal"), "AES");
    }

    /** The scope of a token: its id and its secret (the bearer token as sent). */
    public static CallerScope of(String tokenId, String bearerSecret) {
        if (tokenId == null || tokenId.isEmpty() || bearerSecret == null || bearerSecret.isEmpty()) {
            throw new IllegalArgumentException("a caller scope needs the token's id and secret");
        }
        return new CallerScope(tokenId, hmac(bearerSecret.getBytes(StandardCharsets.UTF_8), "keisei idempotency v1"));
    }

    /** The Redis key of one of this caller's keys. */
    public String redisKey(IdempotencyKey key) {
        return PREFIX + tokenId + ":" + HexFormat.of().formatHex(hmac(nameKey, key.value()));
    }

    /** Where every key of a token lives (a glob pattern for SCAN). */
    public static String redisPattern(String tokenId) {
        return PREFIX + tokenId + ":*";
    }

    /** {@code plain} encrypted and authenticated for this caller and {@code redisKey}: IV then ciphertext and tag. */
    public byte[] seal(byte[] plain, String redisKey) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, IV_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** What {@link #seal} sealed for this caller and {@code redisKey}; IllegalArgumentException for anything else. */
    public byte[] open(byte[] sealed, String redisKey) {
        if (sealed == null || sealed.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("not a sealed answer");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, sealKey, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            c.updateAAD(redisKey.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("the answer was not sealed for this caller and key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
