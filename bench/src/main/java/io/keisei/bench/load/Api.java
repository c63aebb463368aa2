package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/** The public API of a running suite, as a user with a token reaches it. */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    final URI base;
    final String token;
    final HttpClient http;

    public Api(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(8, Daemon.THREADS)).build();
    }

    public Api as(String otherToken) {
        return new Api(base, otherToken);
    }

    HttpRequest request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.build();
    }

    public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return http.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    public CompletableFuture<HttpResponse<Void>> sendAsync(String method, String path) {
        return http.sendAsync(request(method, path, null), HttpResponse.BodyHandlers.discarding());
    }

    public JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(method, path, body);
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " → " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The gateway's shared-read counters from /q/metrics: {shared, called}, i.e. live reads answered from an
     * identical read in flight or just answered, and those that made a downstream call.
     */
    public long[] sharedReads() {
        long[] out = new long[2];
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith("keisei_gateway_shared_reads_total")) {
                    long v = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    out[line.contains("result=\"shared\"") ? 0 : 1] += v;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            return new long[]{-1, -1};
        }
        return out;
    }

    public String createToken(String name, String role) throws IOException, InterruptedException {
        return json("POST", "/api/v1/auth/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}").get("token").asText();
    }
}
