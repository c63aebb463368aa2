package io.keisei.gateway.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an answer about to be written into the bytes it will send, and sends exactly those: a streamed downstream
 * answer is read to its end, an object is written as JSON. So the answer is kept even when the client is gone by the
 * time it is written (the case a retry is for), and a replay is byte for byte what the first answer was. The
 * answers of the operations that take a key are small (a session, a token); they are held in memory once.
 */
@ApplicationScoped
public class AnswerCapture {

    private final ObjectMapper json;

    public AnswerCapture(ObjectMapper json) {
        this.json = json;
    }

    StoredAnswer capture(ContainerResponseContext response) throws IOException {
        Object entity = response.getEntity();
        String contentType = response.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType == null && response.getMediaType() != null) {
            contentType = response.getMediaType().toString();
        }
        byte[] body = bytes(entity, contentType);
        if (entity != null) {
            if (contentType == null) {
                contentType = MediaType.APPLICATION_JSON;
            }
            response.setEntity(body);
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, contentType);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : StoredAnswer.KEPT_HEADERS) {
            String value = name.equals(HttpHeaders.CONTENT_TYPE) ? (entity == null ? null : contentType) : response.getHeaderString(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return new StoredAnswer(response.getStatus(), headers, body);
    }

    private byte[] bytes(Object entity, String contentType) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity instanceof byte[] b) {
            return b;
        }
        if (entity instanceof String s) {
            return s.getBytes(charset(contentType));
        }
        if (entity instanceof InputStream in) {
            try (in) {
                return in.readAllBytes();
            }
        }
        if (entity instanceof StreamingOutput out) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            out.write(buffer);
            return buffer.toByteArray();
        }
        return json.writeValueAsBytes(entity);
    }

    private static Charset charset(String contentType) {
        if (contentType != null) {
            String cs = MediaType.valueOf(contentType).getParameters().get(MediaType.CHARSET_PARAMETER);
            if (cs != null && Charset.isSupported(cs)) {
                return Charset.forName(cs);
            }
        }
        return StandardCharsets.UTF_8;
    }
}
