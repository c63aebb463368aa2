package io.keisei.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for training-service's session reads, for tests of the gateway alone: every session
 * exists except those whose id starts with {@code missing-} (404). It counts the calls per id, which
 * a test reads back at {@code GET /_calls/<id>} ({@link #calls}).
 */
public class StubTrainingService implements QuarkusTestResourceLifecycleManager {

    public static final String MISSING_PREFIX = "missing-";

    private HttpServer server;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        // Headers and body go out in separate writes: without TCP_NODELAY every answer waits for a delayed ACK (40 ms).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/sessions/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/sessions/".length());
            calls.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
            if (id.startsWith(MISSING_PREFIX)) {
                reply(ex, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no session\"}");
            } else {
                reply(ex, 200, "application/json", "{\"id\":\"" + id + "\",\"owner\":\"admin\",\"state\":\"RUNNING\"}");
            }
        });
        server.createContext("/_calls/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/_calls/".length());
            AtomicLong n = calls.get(id);
            reply(ex, 200, "text/plain", Long.toString(n == null ? 0 : n.get()));
        });
        server.start();
        return Map.of("keisei.gateway.services.training", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** How many times the gateway asked the stub at {@code base} (the training URL) for session {@code id}. */
    public static long calls(String base, String id) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/_calls/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.body().trim());
    }
}
