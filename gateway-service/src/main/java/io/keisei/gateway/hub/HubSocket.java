package io.keisei.gateway.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.TokenAuthenticator;
import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The live hub's WebSocket endpoint (docs/websocket-protocol.md): authentication by header or first
 * message, topic subscriptions with resume cursors, the connection limit (1008), idle and
 * authentication time-outs, and the bad-message policy (error, then 1007 or 1003).
 */
@WebSocket(path = "/ws")
@Singleton
public class HubSocket {

    static final int POLICY_VIOLATION = 1008;
    static final int UNSUPPORTED_DATA = 1003;
    static final int INVALID_PAYLOAD = 1007;
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final Connections connections;
    private final Hub hub;
    private final Replay replay;
    private final TokenAuthenticator authenticator;
    private final ObjectMapper json;
    private final GatewayConfig.Ws config;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ws-watchdog");
        t.setDaemon(true);
        return t;
    });

    public HubSocket(Connections connections, Hub hub, Replay replay, TokenAuthenticator authenticator, ObjectMapper json,
                     GatewayConfig config) {
        this.connections = connections;
        this.hub = hub;
        this.replay = replay;
        this.authenticator = authenticator;
        this.json = json;
        this.config = config.ws();
    }

    void start(@Observes StartupEvent ignored) {
        watchdog.scheduleWithFixedDelay(this::closeStale, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        watchdog.shutdownNow();
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        ClientConnection client = connections.admit(connection);
        if (client == null) {
            connection.closeAndAwait(new io.quarkus.websockets.next.CloseReason(POLICY_VIOLATION, "Connection limit exceeded"));
            return;
        }
        String header = connection.handshakeRequest().header("Authorization");
        if (header != null) {
            authenticate(client, () -> authenticator.fromHeader(header));
        }
    }

    @OnTextMessage
    public void onMessage(String text, WebSocketConnection connection) {
        ClientConnection client = connections.get(connection);
        if (client == null) {
            return;
        }
        client.lastSeen = System.currentTimeMillis();
        JsonNode msg;
        try {
            msg = json.readTree(text);
        } catch (JsonProcessingException e) {
            bad(client, "bad_message", "not JSON", INVALID_PAYLOAD);
            return;
        }
        String type = msg == null || !msg.isObject() ? null : msg.path("type").asText(null);
        if (client.principal == null) {
            if ("auth".equals(type) && msg.path("token").isTextual()) {
                authenticate(client, () -> authenticator.fromToken(msg.path("token").asText()));
            } else {
                error(client, "unauthorized", "authenticate first: {\"type\":\"auth\",\"token\":\"...\"}");
                client.close(POLICY_VIOLATION, "Authentication required");
            }
            return;
        }
        if (type == null) {
            bad(client, "bad_message", "a message is a JSON object with a 'type'", UNSUPPORTED_DATA);
            return;
        }
        switch (type) {
            case "subscribe" -> subscribe(client, msg.path("topic").asText(null), msg.path("cursor").asText(null));
            case "unsubscribe" -> unsubscribe(client, msg.path("topic").asText(null));
            case "ping" -> client.sendControl("{\"type\":\"pong\"}", hub::serialize);
            case "auth" -> error(client, "bad_message", "already authenticated");
            default -> bad(client, "bad_message", "unknown message type '" + truncate(type) + "'", UNSUPPORTED_DATA);
        }
    }

    @OnPongMessage
    public void onPong(Buffer data, WebSocketConnection connection) {
        ClientConnection client = connections.get(connection);
        if (client != null) {
            client.lastSeen = System.currentTimeMillis();
        }
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        ClientConnection client = connections.remove(connection);
        if (client != null) {
            hub.unsubscribeAll(client);
        }
    }

    private void authenticate(ClientConnection client, java.util.function.Supplier<Principal> how) {
        try {
            Principal p = how.get();
            client.principal = p;
            ObjectNode data = json.createObjectNode().put("name", p.name()).put("owner", p.owner())
                    .put("role", p.role().wireName()).put("connectionId", client.id());
            client.sendControl(json.createObjectNode().put("type", "welcome").set("data", data).toString(), hub::serialize);
        } catch (ProblemException e) {
            error(client, e.status() == 401 ? "unauthorized" : "unavailable", e.getMessage());
            client.close(POLICY_VIOLATION, e.status() == 401 ? "Unauthorized" : "Try again");
        }
    }

    private void subscribe(ClientConnection client, String topic, String cursor) {
        if (!validTopic(topic)) {
            bad(client, "unknown_topic", "topics are 'sessions', 'system' or 'session:<id>'", UNSUPPORTED_DATA);
            return;
        }
        if (!client.principal.has(Permission.TRAINING_MONITOR)) {
            error(client, "forbidden", "role '" + client.principal.role().wireName() + "' may not monitor");
            return;
        }
        if (cursor != null && !cursor.isEmpty() && !StreamIds.valid(cursor)) {
            bad(client, "bad_message", "cursor must be a stream id such as 1732940000000-0", UNSUPPORTED_DATA);
            return;
        }
        boolean resume = cursor != null && !cursor.isEmpty();
        if (client.subscribed(topic)) {
            client.sendControl("{\"type\":\"subscribed\",\"topic\":" + quote(topic) + ",\"data\":{\"replayed\":0}}", hub::serialize);
            return;
        }
        client.addTopic(topic, resume);
        hub.subscribe(client, topic);
        if (resume) {
            try {
                Replay.Result r = replay.since(topic, cursor);
                client.sendControl(subscribed(topic, r.envelopes().size()), hub::serialize);
                client.offerReplay(r.envelopes(), hub::serialize);
                client.endHoldBack(topic, r.upTo(), hub::serialize);
            } catch (RuntimeException e) {
                client.sendControl(subscribed(topic, 0), hub::serialize);
                client.sendControl("{\"type\":\"resync\",\"topic\":" + quote(topic) + "}", hub::serialize);
                client.endHoldBack(topic, Map.of(), hub::serialize);
            }
        } else {
            client.sendControl(subscribed(topic, 0), hub::serialize);
        }
        if (!resume || Hub.SESSIONS_TOPIC.equals(topic) || Hub.SYSTEM_TOPIC.equals(topic)) {
            client.offerReplay(hub.snapshot(topic), hub::serialize);
        }
    }

    private String subscribed(String topic, int replayed) {
        return "{\"type\":\"subscribed\",\"topic\":" + quote(topic) + ",\"data\":{\"replayed\":" + replayed + "}}";
    }

    private void unsubscribe(ClientConnection client, String topic) {
        if (!validTopic(topic)) {
            bad(client, "unknown_topic", "topics are 'sessions', 'system' or 'session:<id>'", UNSUPPORTED_DATA);
            return;
        }
        hub.unsubscribe(client, topic);
        client.removeTopic(topic);
        client.sendControl("{\"type\":\"unsubscribed\",\"topic\":" + quote(topic) + "}", hub::serialize);
    }

    private static boolean validTopic(String topic) {
        return topic != null && (Hub.SESSIONS_TOPIC.equals(topic) || Hub.SYSTEM_TOPIC.equals(topic)
                || topic.startsWith(Hub.SESSION_TOPIC_PREFIX)
                && SESSION_ID.matcher(topic.substring(Hub.SESSION_TOPIC_PREFIX.length())).matches());
    }

    private void bad(ClientConnection client, String code, String message, int closeCode) {
        error(client, code, message);
        synchronized (client) {
            client.badMessages++;
            if (client.badMessages >= config.badMessageLimit()) {
                client.close(closeCode, "Too many bad messages");
            }
        }
    }

    private void error(ClientConnection client, String code, String message) {
        ObjectNode data = json.createObjectNode().put("code", code).put("message", message);
        client.sendControl(json.createObjectNode().put("type", "error").set("data", data).toString(), hub::serialize);
    }

    private void closeStale() {
        long now = System.currentTimeMillis();
        for (ClientConnection c : connections.all()) {
            if (c.principal == null && now - c.openedAt > config.authTimeout().toMillis()) {
                c.close(POLICY_VIOLATION, "Authentication timeout");
            } else if (now - c.lastSeen > config.idleTimeout().toMillis()) {
                c.close(1001, "Idle timeout");
            }
        }
    }

    private String quote(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
