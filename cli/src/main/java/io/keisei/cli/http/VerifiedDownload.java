package io.keisei.cli.http;

import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Streams a body to a file while hashing it, and keeps the file only if its SHA-256 is the one expected.
 * The bytes go to {@code <file>.part} first: a failed or interrupted download, or one whose hash differs,
 * never leaves a file under the final name (and the part file is removed).
 */
public final class VerifiedDownload {

    private VerifiedDownload() {
    }

    /**
     * Writes {@code in} to {@code target}; {@code progress} gets the byte count so far as it grows. Returns the
     * hex SHA-256. Throws (exit 1) when it is not {@code expectedSha256}.
     */
    public static String write(InputStream in, Path target, String expectedSha256, LongConsumer progress) {
        Path part = target.resolveSibling(target.getFileName() + ".part");
        MessageDigest sha = sha256();
        try {
            try (in; OutputStream out = Files.newOutputStream(part)) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                    sha.update(buf, 0, n);
                    total += n;
                    progress.accept(total);
                }
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
                Files.deleteIfExists(part);
                throw new CliException(ExitCodes.ERROR, "sha256 mismatch for " + target.getFileName() + ": the API reports "
                        + expectedSha256 + ", the download is " + actual + "; the file was removed");
            }
            try {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return actual;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new CliException(ExitCodes.ERROR, "download of " + target.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
