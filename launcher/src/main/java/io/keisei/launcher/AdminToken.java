package io.keisei.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The admin token: KEISEI_ADMIN_TOKEN when set, else generated once and kept (mode 600) in the data dir. */
public final class AdminToken {

    private AdminToken() {
    }

    /** The token and whether it was generated just now. */
    public record Resolved(String token, boolean generated, String origin) {
    }

    public static Resolved resolve(String fromEnv, Path file) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Resolved(fromEnv.strip(), false, "KEISEI_ADMIN_TOKEN");
        }
        try {
            if (Files.exists(file)) {
                return new Resolved(Files.readString(file).strip(), false, file.toString());
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            // The same form as tokens made through the API (ksk_ + 32 random bytes), so docs and tools see one kind.
            String token = "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            // Created owner-only: never readable by others, not even between creation and a chmod.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardOpenOption.WRITE);
            return new Resolved(token, true, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

}
