package io.keisei.testsupport;

import io.keisei.contracts.ServiceCredential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service credential of every test: {@code @QuarkusTest}s get it as {@code keisei.service-auth.token}
 * (KeiseiInfraResource, which also makes RestAssured send it), packaged services as
 * {@code KEISEI_SERVICE_TOKEN} (PackagedService). Tests that call an internal service with their own
 * HTTP client add it with {@link #request(URI)}.
 */
public final class TestServiceCredential {

    public static final String HEADER = ServiceCredential.HEADER;
    public static final String TOKEN = "keisei-test-service-credential-0123456789";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServiceCredential() {
    }

    /**
     * One call with exactly this credential ({@code null}: no header at all), for tests of who is let in;
     * a POST sends an empty JSON object.
     */
    public static HttpResponse<String> call(URI base, String method, String path, String credential) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30));
        if (credential != null) {
            b.header(HEADER, credential);
        }
        if ("POST".equals(method) || "PUT".equals(method)) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fails unless {@code r} is the refusal of a caller without the right credential: 401 problem+json that
     * names the header (and each of {@code alsoContains}) and never echoes the secret.
     */
    public static void assertRefused(HttpResponse<String> r, String... alsoContains) {
        String what = r.request().method() + " " + r.uri() + " -> " + r.statusCode() + " " + r.body();
        if (r.statusCode() != 401) {
            throw new AssertionError("expected 401: " + what);
        }
        if (!r.headers().firstValue("Content-Type").orElse("").equals("application/problem+json")) {
            throw new AssertionError("expected application/problem+json: " + what);
        }
        if (!r.body().contains(HEADER) || r.body().contains(TOKEN)) {
            throw new AssertionError("expected the header's name and not the secret: " + what);
        }
        for (String s : alsoContains) {
            if (!r.body().contains(s)) {
                throw new AssertionError("expected '" + s + "': " + what);
            }
        }
    }

    /** A request to an internal service that carries the test credential. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header(HEADER, TOKEN);
    }
}
