package io.keisei.gateway.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** A downstream answer: status, the headers worth passing on, and the body as a stream (read once). */
public record DownstreamResponse(int status, HttpHeaders headers, InputStream body) {

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
