package io.keisei.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;
import io.keisei.cli.settings.Endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.UUID;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The gateway's public REST API ({@code /api/v1}) over the JDK's HTTP client, and nothing else: no internal
 * service is ever called, so the CLI works against a remote suite or a cluster as it does against localhost.
 * Answers are JSON trees; an error answer becomes an {@link ApiException}, a transport failure a one-line
 * {@link CliException}.
 */
public final class ApiClient {

    public static final String PREFIX = "/api/v1";
    /** Sent with every POST: see {@link #request}. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The gateway waits 30 s at most for a service on writes, so a little more here. */
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    private final Endpoint endpoint;
    private final HttpClient http;
    private final String userAgent;

    public ApiClient(Endpoint endpoint, String version) {
        this.endpoint = endpoint;
        this.userAgent = "keisei-cli/" + version;
        // HTTP/1.1: the gateway speaks it and there is no upgrade round trip to pay for. Redirects are not followed:
        // an API client should not resend a POST elsewhere; a 3xx says where the gateway is instead.
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equalsIgnoreCase(endpoint.baseUrl().getScheme())) {
            // Plain HTTP never handshakes, and the default SSLContext would load and parse the JDK's trust store first
            // (a tenth of a start-up). With redirects off, no request of this client can reach an https URL.
            b.sslContext(noTlsContext());
        }
        this.http = b.build();
    }

    private static SSLContext noTlsContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public HttpClient http() {
        return http;
    }

    public JsonNode get(String path) {
        return json(send("GET", path, null, "application/json"));
    }

    public JsonNode post(String path, JsonNode body) {
        return json(send("POST", path, body, "application/json"));
    }

    public JsonNode put(String path, JsonNode body) {
        return json(send("PUT", path, body, "application/json"));
    }

    /** DELETE; the answer is usually 204 without a body (then null). */
    public JsonNode delete(String path) {
        return json(send("DELETE", path, null, "application/json"));
    }

    /** A text answer (the trainer log). */
    public String getText(String path) {
        return send("GET", path, null, "text/plain").body();
    }

    /** A streamed answer (a model, an export): the caller reads and closes the body. Errors are read and thrown. */
    public HttpResponse<InputStream> stream(String path, String accept) {
        HttpRequest request = request("GET", path, null, accept);
        HttpResponse<InputStream> r = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        redirected(r);
        if (r.statusCode() >= 300) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = null;
            }
            throw ApiException.of(r.statusCode(), "GET", path, body, r.headers().firstValue("Retry-After").orElse(null));
        }
        return r;
    }

    private HttpResponse<String> send(String method, String path, JsonNode body, String accept) {
        HttpResponse<String> r = exchange(request(method, path, body, accept), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        redirected(r);
        if (r.statusCode() >= 300) {
            throw ApiException.of(r.statusCode(), method, path, r.body(), r.headers().firstValue("Retry-After").orElse(null));
        }
        return r;
    }

    /** A redirect means the URL is not the gateway's (e.g. http:// where a proxy wants https://): say which one is. */
    private void redirected(HttpResponse<?> r) {
        if (r.statusCode() >= 300 && r.statusCode() < 400 && r.statusCode() != 304) {
            String location = r.headers().firstValue("Location").orElse("?");
            throw new CliException(ExitCodes.ERROR, endpoint.baseUrl() + " redirects to " + location
                    + " (HTTP " + r.statusCode() + "): give the gateway's own URL (--url, KEISEI_URL or keisei login)");
        }
    }

    private HttpRequest request(String method, String path, JsonNode body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + endpoint.requireToken())
                .header("Accept", accept + ", application/problem+json")
                .header("User-Agent", userAgent);
        if ("POST".equals(method)) {
            // A new key per POST (one command may make two: create, then start). The gateway carries out a request with
            // a key once: a resend of these bytes gets the first answer instead of a second session.
            b.header(IDEMPOTENCY_KEY, UUID.randomUUID().toString());
        }
        if (body != null) {
            try {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    /** The absolute URI of an API path such as {@code /sessions?state=running}. */
    public URI uri(String path) {
        return URI.create(endpoint.baseUrl() + PREFIX + path);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within 5 s", e);
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.ERROR, "the gateway at " + endpoint.baseUrl() + " did not answer within "
                    + TIMEOUT.toSeconds() + " s (" + request.method() + " " + request.uri().getPath() + ")", e);
        } catch (ConnectException e) {
            throw unreachable("connection refused", e);
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted", e);
        }
    }

    private CliException unreachable(String why, Exception e) {
        return new CliException(ExitCodes.ERROR, "cannot reach the gateway at " + endpoint.baseUrl() + " (" + why + ")", e);
    }

    private static JsonNode json(HttpResponse<String> r) {
        String body = r.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.parse(body);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCodes.ERROR, "the gateway answered " + r.request().method() + " " + r.uri().getPath()
                    + " with something that is not JSON", e);
        }
    }

    /** A user-given id as one path segment (the API's ids need no escaping, but a typo must not change the path). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query parameter value. */
    public static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
