package io.keisei.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (JDK) for hub tests: collects every JSON message and the close code. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static WsClient connect(URI uri) {
        WsClient c = new WsClient();
        c.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, c).join();
        return c;
    }

    public static WsClient connectAndAuth(URI uri, String token) throws InterruptedException {
        WsClient c = connect(uri);
        c.send("{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        JsonNode welcome = c.next(m -> true, Duration.ofSeconds(10));
        if (welcome == null || !"welcome".equals(welcome.path("type").asText())) {
            throw new AssertionError("no welcome: " + welcome);
        }
        return c;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void subscribe(String topic, String cursor) {
        send(cursor == null ? "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}"
                : "{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"cursor\":\"" + cursor + "\"}");
    }

    /** The next message matching {@code p} (others are dropped), or null after the timeout. */
    public JsonNode next(Predicate<JsonNode> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            JsonNode m = messages.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                return null;
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    /** Everything of a type received within {@code window}. */
    public List<JsonNode> collect(String type, Duration window) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            JsonNode m = messages.poll(left, TimeUnit.NANOSECONDS);
            if (m != null && type.equals(m.path("type").asText())) {
                out.add(m);
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new AssertionError("server sent non-JSON: " + partial, e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }
}
