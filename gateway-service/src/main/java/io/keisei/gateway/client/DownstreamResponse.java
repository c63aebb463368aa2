package io.keisei.gateway.client;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A downstream answer: status, headers (names compared case-insensitively) and the body, either read in full (a small
 * answer: {@link #bytes()} is that array) or streamed (a large answer or one of unknown length: {@link #body()} reads
 * it as it arrives, once; {@link #close()} releases it).
 */
public final class DownstreamResponse implements AutoCloseable {

    /** The downstream headers a client needs; the rest stay inside. */
    public static final List<String> PASSED_HEADERS = List.of("Content-Type", "ETag", "Content-Disposition",
            "Retry-After", "Location", "Cache-Control", "Last-Modified");

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] bytes;
    private final InputStream stream;

    private DownstreamResponse(int status, Map<String, List<String>> headers, byte[] bytes, InputStream stream) {
        this.status = status;
        this.headers = headers;
        this.bytes = bytes;
        this.stream = stream;
    }

    /** An answer whose body was read in full. */
    public static DownstreamResponse buffered(int status, Map<String, List<String>> headers, byte[] body) {
        return new DownstreamResponse(status, caseInsensitive(headers), Objects.requireNonNull(body), null);
    }

    /** An answer whose body is read as it arrives (once). */
    public static DownstreamResponse streamed(int status, Map<String, List<String>> headers, InputStream body) {
        return new DownstreamResponse(status, caseInsensitive(headers), null, Objects.requireNonNull(body));
    }

    /** The same answer with one header set (replacing any values it had). */
    DownstreamResponse withHeader(String name, String value) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        all.put(name, List.of(value));
        return new DownstreamResponse(status, Collections.unmodifiableMap(all), bytes, stream);
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        if (headers instanceof TreeMap<String, List<String>> t && t.comparator() == String.CASE_INSENSITIVE_ORDER) {
            return Collections.unmodifiableMap(t);
        }
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> all.merge(k, List.copyOf(v), (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return List.copyOf(both);
        }));
        return Collections.unmodifiableMap(all);
    }

    public int status() {
        return status;
    }

    /** Every header the service sent, by name (case-insensitive). */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether the body is streamed (not held in memory). */
    public boolean streamed() {
        return stream != null;
    }

    /** The body as a stream (for a streamed answer: the one stream, read once). */
    public InputStream body() {
        return stream != null ? stream : new ByteArrayInputStream(bytes);
    }

    /** The whole body (a streamed one is read to its end here). */
    public byte[] bytes() {
        if (bytes != null) {
            return bytes;
        }
        try (InputStream in = stream) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases a streamed body not read to its end (the downstream connection is let go); nothing for a read one. */
    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // released anyway
            }
        }
    }

    /**
     * The public answer: this status, the passed headers and the body: the bytes when they were read in full,
     * otherwise streamed through as the client takes them (never held in memory).
     */
    public Response toResponse() {
        Response.ResponseBuilder rb = Response.status(status);
        for (String h : PASSED_HEADERS) {
            String v = header(h);
            if (v != null) {
                rb.header(h, v);
            }
        }
        if (status == 204 || status == 304) {
            close();
            return rb.build();
        }
        if (bytes != null) {
            return rb.entity(bytes).build();
        }
        InputStream in = stream;
        StreamingOutput out = os -> {
            try (in) {
                in.transferTo(os);
            }
        };
        return rb.entity(out).build();
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
