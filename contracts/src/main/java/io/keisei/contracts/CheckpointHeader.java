package io.keisei.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The self-describing start of a built-in trainer checkpoint: an 8-byte magic, the header length,
 * then the header as JSON (format version, step, architecture, config, metrics). The trainer
 * writes it; training-service's model registry reads it once at registration.
 */
public final class CheckpointHeader {

    static final byte[] MAGIC = "KSHOGICK".getBytes(StandardCharsets.US_ASCII);
    /** Headers are small; a huge length means a corrupt or foreign file. */
    private static final int MAX_BYTES = 16 * 1024 * 1024;
    private static final JsonMapper JSON = new JsonMapper();

    /** A file that does not start with a valid checkpoint header; the message completes "checkpoint X ...". */
    public static class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    private CheckpointHeader() {
    }

    public static void write(DataOutputStream out, JsonNode header) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(header);
        out.write(MAGIC);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads the magic and the header, leaving {@code in} at the payload. */
    public static JsonNode read(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FormatException("is not a Keisei Shogi checkpoint (bad magic)");
        }
        int len = in.readInt();
        if (len <= 0 || len > MAX_BYTES) {
            throw new FormatException("has a corrupt header (length " + len + ")");
        }
        byte[] header = new byte[len];
        in.readFully(header);
        return JSON.readTree(header);
    }
}
