package io.keisei.gateway.client;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.util.List;

/** A downstream answer: status, the headers worth passing on, and the body as a stream (read once). */
public record DownstreamResponse(int status, HttpHeaders headers, InputStream body) {

    /** The downstream headers a client needs; the rest stay inside. */
    public static final List<String> PASSED_HEADERS = List.of("Content-Type", "ETag", "Content-Disposition",
            "Retry-After", "Location", "Cache-Control", "Last-Modified");

    /** The public answer: this status, the passed headers and the body streamed through (never held in memory). */
    public Response toResponse() {
        Response.ResponseBuilder rb = Response.status(status);
        for (String h : PASSED_HEADERS) {
            String v = header(h);
            if (v != null) {
                rb.header(h, v);
            }
        }
        if (status == 204 || status == 304) {
            try {
                body.close();
            } catch (IOException ignored) {
                // nothing left to read
            }
            return rb.build();
        }
        InputStream in = body;
        StreamingOutput out = os -> {
            try (in) {
                in.transferTo(os);
            }
        };
        return rb.entity(out).build();
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public byte[] bytes() {
        try (InputStream in = body) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
