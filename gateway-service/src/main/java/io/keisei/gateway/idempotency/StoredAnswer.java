package io.keisei.gateway.idempotency;

import jakarta.ws.rs.core.Response;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first answer to a key, as it is replayed: status, the headers that describe the answer ({@link #KEPT_HEADERS})
 * and the body's bytes.
 */
public record StoredAnswer(int status, Map<String, String> headers, byte[] body) {

    /** What a replay repeats of the first answer's headers; the rest (Date, rate-limit state, ...) belong to each answer. */
    public static final List<String> KEPT_HEADERS = List.of("Content-Type", "Location", "ETag", "Cache-Control");

    private static final int FORMAT = 1;

    public StoredAnswer {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        body = body == null ? new byte[0] : body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The answer again, marked {@code Idempotent-Replayed: true}. */
    public Response replay() {
        Response.ResponseBuilder rb = Response.status(status);
        headers.forEach(rb::header);
        if (body.length > 0) {
            rb.entity(body.clone());
        }
        return rb.header(IdempotencyKey.REPLAYED, "true").build();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeShort(status);
            out.writeByte(headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                out.writeUTF(h.getKey());
                out.writeUTF(h.getValue());
            }
            out.writeInt(body.length);
            out.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static StoredAnswer fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readUnsignedByte() != FORMAT) {
                throw new IllegalArgumentException("not a stored answer of format " + FORMAT);
            }
            int status = in.readUnsignedShort();
            int n = in.readUnsignedByte();
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                headers.put(in.readUTF(), in.readUTF());
            }
            byte[] body = new byte[in.readInt()];
            in.readFully(body);
            return new StoredAnswer(status, headers, body);
        } catch (IOException e) {
            throw new IllegalArgumentException("a truncated stored answer", e);
        }
    }
}
