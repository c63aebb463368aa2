package io.keisei.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The service credential the four services share (KEISEI_SERVICE_TOKEN): the internal services answer
 * only callers that present it. KEISEI_SERVICE_TOKEN when set, else generated once (32 random bytes,
 * base64url) and kept, mode 600, in the data directory, so that restarts keep it.
 */
public final class ServiceToken {

    public static final String ENV = "KEISEI_SERVICE_TOKEN";
    /** What the services require (io.keisei.contracts.ServiceCredential.MIN_LENGTH). */
    static final int MIN_LENGTH = 20;

    private ServiceToken() {
    }

    public static String resolve(String fromEnv, Path file) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            String t = fromEnv.strip();
            if (t.length() < MIN_LENGTH) {
                throw new LaunchException(ENV + " is too short (at least " + MIN_LENGTH
                        + " characters; generate one with: openssl rand -base64 32)");
            }
            return t;
        }
        try {
            if (Files.exists(file)) {
                String kept = Files.readString(file).strip();
                if (kept.length() < MIN_LENGTH) {
                    throw new LaunchException(file + " does not hold a usable service credential: delete it and "
                            + "./keisei up generates a new one");
                }
                return kept;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            // Created owner-only: never readable by others, not even between creation and a chmod.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardOpenOption.WRITE);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
