package io.keisei.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A connection to the gateway's live hub ({@code /ws}, docs/websocket-protocol.md). Not a browser, so it
 * authenticates with {@code Authorization: Bearer} on the upgrade request instead of a first message. Every
 * JSON message arrives in {@link #next}; the close arrives as a message of type {@code "closed"} with the code
 * and reason, so the caller decides in one place what to do next.
 */
public final class HubClient implements WebSocket.Listener, AutoCloseable {

    /** The type of the synthetic message that reports the end of the connection. */
    public static final String CLOSED = "closed";

    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private HubClient() {
    }

    /** Opens the hub with the client's endpoint and token; fails with exit code 4 on a refused upgrade. */
    public static HubClient connect(ApiClient api) {
        HubClient c = new HubClient();
        HttpClient http = api.http();
        try {
            c.socket = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + api.endpoint().requireToken())
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(api.endpoint().webSocketUrl(), c)
                    .join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                throw new CliException(ExitCodes.forStatus(status), "the gateway refused the live connection (HTTP " + status + ")", h);
            }
            throw new CliException(ExitCodes.ERROR, "cannot reach the live hub at " + api.endpoint().webSocketUrl() + " ("
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")", cause);
        }
        return c;
    }

    /** Subscribes to a topic, from just after {@code cursor} (the last envelope id seen) when there is one. */
    public void subscribe(String topic, String cursor) {
        ObjectNode m = Json.MAPPER.createObjectNode().put("type", "subscribe").put("topic", topic);
        if (cursor != null) {
            m.put("cursor", cursor);
        }
        send(m);
    }

    /** An application-level ping: the hub closes connections it has not heard from for 60 s. */
    public void ping() {
        send(Json.MAPPER.createObjectNode().put("type", "ping"));
    }

    private void send(ObjectNode message) {
        if (!socket.isOutputClosed()) {
            socket.sendText(message.toString(), true);
        }
    }

    /** The next message, or null after {@code timeout}. */
    public JsonNode next(Duration timeout) throws InterruptedException {
        return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                messages.add(Json.parse(text));
            } catch (Exception e) {
                // the hub only sends JSON; a frame that is not is skipped rather than ending the watch
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        messages.add(Json.MAPPER.createObjectNode().put("type", CLOSED).put("code", statusCode).put("reason", reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        messages.add(Json.MAPPER.createObjectNode().put("type", CLOSED).put("code", 1006)
                .put("reason", error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()));
    }

    @Override
    public void close() {
        if (socket == null) {
            return;
        }
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // leaving anyway
            }
        }
        socket.abort();
    }
}
