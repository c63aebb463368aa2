package io.keisei.trainer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.contracts.CheckpointHeader;
import io.keisei.contracts.CheckpointInfo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The built-in trainer's checkpoint format. Unlike Keisei's .pth files it describes itself: a
 * magic, then a JSON header (format version, session, attempt, step, architecture, the full
 * effective config, the metrics at that step), then the learner state. Files are written
 * atomically: a temporary file in the same directory, fsync, rename, fsync of the directory —
 * a crash leaves either the old set of checkpoints or the new one, never a torn file.
 */
public final class CheckpointFile {

    public static final int FORMAT_VERSION = 1;

    /** Writes the learner state. */
    @FunctionalInterface
    public interface PayloadWriter {
        void write(DataOutputStream out) throws IOException;
    }

    /** A checkpoint that cannot be used; the message is one line for the user. */
    public static class CheckpointException extends Exception {
        public CheckpointException(String message) {
            super(message);
        }
    }

    /** An opened checkpoint: its header and a stream positioned at the learner state. */
    public record Opened(ObjectNode header, DataInputStream payload) implements AutoCloseable {
        public long step() {
            return header.path("step").asLong();
        }

        @Override
        public void close() throws IOException {
            payload.close();
        }
    }

    private CheckpointFile() {
    }

    /** The file name of the checkpoint at a step; zero-padded so names sort by step. */
    public static String fileName(long step) {
        return String.format("ckpt-%012d.kshogi", step);
    }

    /** Writes {@code header} (with format fields added) and the payload atomically into {@code dir}. */
    public static CheckpointInfo write(Path dir, long step, ObjectNode header, PayloadWriter payload) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName(step));
        Path tmp = dir.resolve("." + fileName(step) + ".tmp");
        ObjectNode h = header.deepCopy();
        h.put("format", "keisei-shogi-checkpoint");
        h.put("formatVersion", FORMAT_VERSION);
        h.put("step", step);
        MessageDigest sha = sha256();
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
             DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(fos, 1 << 16), sha);
             DataOutputStream out = new DataOutputStream(digest)) {
            CheckpointHeader.write(out, h);
            payload.write(out);
            out.flush();
            fos.getChannel().force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
        return new CheckpointInfo(target.toAbsolutePath().toString(), step, Files.size(target),
                HexFormat.of().formatHex(sha.digest()));
    }

    /** Opens a checkpoint and checks its magic, header and format version. */
    public static Opened open(Path file) throws CheckpointException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint " + file + " does not exist");
        }
        InputStream in = null;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            DataInputStream data = new DataInputStream(in);
            JsonNode h = CheckpointHeader.read(data);
            if (!(h instanceof ObjectNode obj) || h.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
                throw new CheckpointException("checkpoint " + file + " has unsupported format version "
                        + h.path("formatVersion").asText("?") + " (this trainer reads " + FORMAT_VERSION + ")");
            }
            return new Opened(obj, data);
        } catch (CheckpointHeader.FormatException e) {
            closeQuietly(in);
            throw new CheckpointException("checkpoint " + file + " " + e.getMessage());
        } catch (EOFException e) {
            closeQuietly(in);
            throw new CheckpointException("checkpoint " + file + " is truncated");
        } catch (IOException e) {
            closeQuietly(in);
            throw new CheckpointException("checkpoint " + file + " is unreadable: " + e.getMessage());
        } catch (CheckpointException e) {
            closeQuietly(in);
            throw e;
        }
    }

    /** SHA-256 of a file, hex. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
