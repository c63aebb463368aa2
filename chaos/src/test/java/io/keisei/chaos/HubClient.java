package io.keisei.chaos;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One dashboard-like client of the live hub: subscribed to one session, it keeps the id of the last envelope it
 * saw and, when the connection drops (or goes silent while the session publishes), reconnects with back-off and
 * resubscribes with that cursor, as the protocol says a client should. It records every {@code training_update}.
 */
final class HubClient implements WebSocket.Listener, AutoCloseable {

    /** A received training update: its stream id (the resume cursor), the id's time and the step. */
    record Update(String id, long idMillis, long step, long receivedAt) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ScheduledExecutorService TIMER = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "hub-client-timer");
        t.setDaemon(true);
        return t;
    });

    final String session;
    private final URI uri;
    private final String token;
    private final List<Update> updates = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile String cursor;
    private volatile boolean closed;
    private volatile long lastMessageAt = System.currentTimeMillis();
    private volatile boolean connected;
    private long backoff = 250;
    private int connections;

    HubClient(int gatewayPort, String token, String session) {
        this.uri = URI.create("ws://127.0.0.1:" + gatewayPort + "/ws");
        this.token = token;
        this.session = session;
        connect();
        TIMER.scheduleWithFixedDelay(this::watchSilence, 5, 5, TimeUnit.SECONDS);
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        connected = false;
        HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(3))
                .buildAsync(uri, this)
                .whenComplete((ws, err) -> {
                    if (err != null) {
                        retryLater();
                        return;
                    }
                    synchronized (this) {
                        socket = ws;
                        connections++;
                    }
                    String sub = cursor == null
                            ? "{\"type\":\"subscribe\",\"topic\":\"session:" + session + "\"}"
                            : "{\"type\":\"subscribe\",\"topic\":\"session:" + session + "\",\"cursor\":\"" + cursor + "\"}";
                    ws.sendText(sub, true);
                });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay;
        synchronized (this) {
            delay = backoff;
            backoff = Math.min(backoff * 2, 2000);
        }
        TIMER.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** A hung gateway keeps the TCP connection open: no message for 15 s while connected means start over. */
    private void watchSilence() {
        if (!closed && connected && System.currentTimeMillis() - lastMessageAt > 15_000) {
            WebSocket ws = socket;
            connected = false;
            if (ws != null) {
                ws.abort();
            }
            retryLater();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        connected = true;
        lastMessageAt = System.currentTimeMillis();
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            handle(text);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text) {
        lastMessageAt = System.currentTimeMillis();
        try {
            JsonNode m = ChaosSuite.JSON.readTree(text);
            String type = m.path("type").asText();
            if ("subscribed".equals(type)) {
                synchronized (this) {
                    backoff = 250;
                }
            } else if ("training_update".equals(type) && session.equals(m.path("session").asText())) {
                String id = m.path("id").asText();
                synchronized (this) {
                    updates.add(new Update(id, Long.parseLong(id.substring(0, id.indexOf('-'))),
                            m.path("data").path("step").asLong(), System.currentTimeMillis()));
                }
                cursor = id;
            }
        } catch (Exception e) {
            // not ours to judge here: the audit looks at what was recorded
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (webSocket == socket) {
            connected = false;
            retryLater();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (webSocket == socket) {
            connected = false;
            retryLater();
        }
    }

    synchronized List<Update> updates() {
        return new ArrayList<>(updates);
    }

    synchronized int connections() {
        return connections;
    }

    boolean connected() {
        return connected;
    }

    long lastMessageAt() {
        return lastMessageAt;
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }
}
