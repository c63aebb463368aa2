package io.keisei.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in gateway for tests of the client's own behaviour (exit codes, error lines, downloads): canned answers
 * by method and path (with query). The real API is tested in CliIT against the packaged suite.
 */
final class FakeGateway implements AutoCloseable {

    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    }

    /** What the fake received: method, path with query, Authorization and Idempotency-Key headers, body. */
    record Request(String method, String path, String authorization, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String key = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
            Answer a = answers.getOrDefault(key, new Answer(404, "application/problem+json",
                    ("{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no route " + key + "\"}").getBytes(StandardCharsets.UTF_8), Map.of()));
            exchange.getResponseHeaders().add("Content-Type", a.contentType());
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(a.body());
            }
        });
        server.start();
    }

    FakeGateway json(String methodAndPath, int status, String json) {
        answers.put(methodAndPath, new Answer(status, status >= 400 ? "application/problem+json" : "application/json",
                json.getBytes(StandardCharsets.UTF_8), Map.of()));
        return this;
    }

    FakeGateway bytes(String methodAndPath, byte[] body, Map<String, String> headers) {
        answers.put(methodAndPath, new Answer(200, "application/octet-stream", body, headers));
        return this;
    }

    FakeGateway redirect(String methodAndPath, String location) {
        answers.put(methodAndPath, new Answer(301, "text/plain", new byte[0], Map.of("Location", location)));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
