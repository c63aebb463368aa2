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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for training-service's session reads, for tests of the gateway alone: every session
 * exists except those whose id starts with {@code missing-} (404). It counts the calls per id, which
 * a test reads back at {@code GET /_calls/<id>} ({@link #calls}); a POST to /sessions/{id}/start counts
 * as {@code <id>/start}. It creates sessions too (POST /sessions, counted as {@code create:<name>}).
 */
public class StubTrainingService implements QuarkusTestResourceLifecycleManager {

    public static final String MISSING_PREFIX = "missing-";

    /** How long creating a "slow-*" session takes. */
    public static final long SLOW_MILLIS = 2_000;
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private HttpServer server;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();

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
        // Creating a session (POST /sessions), by the name in the body: "bad-*" is refused (400), "boom-*" fails (500),
        // "slow-*" takes SLOW_MILLIS, anything else is created with a new id. Counted per name as "create:<name>".
        server.createContext("/sessions", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher name = NAME.matcher(body);
            String n = name.find() ? name.group(1) : "";
            calls.computeIfAbsent("create:" + n, k -> new AtomicLong()).incrementAndGet();
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, "application/problem+json", "{\"status\":405,\"title\":\"Method Not Allowed\",\"detail\":\"stub\"}");
            } else if (n.startsWith("bad-")) {
                reply(ex, 400, "application/problem+json", "{\"status\":400,\"title\":\"Invalid request\",\"detail\":"
                        + "\"name: refused by the stub\",\"errors\":[{\"field\":\"name\",\"message\":\"refused by the stub\"}]}");
            } else if (n.startsWith("boom-")) {
                reply(ex, 500, "application/problem+json", "{\"status\":500,\"title\":\"Internal error\",\"detail\":\"stub\"}");
            } else {
                if (n.startsWith("slow-")) {
                    try {
                        Thread.sleep(SLOW_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String id = "s-" + created.incrementAndGet();
                ex.getResponseHeaders().set("Location", "/sessions/" + id);
                reply(ex, 201, "application/json", "{\"id\":\"" + id + "\",\"name\":\"" + n + "\",\"state\":\"created\"}");
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
