package io.keisei.gateway.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.auth.Permission;
import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.auth.TokenAuthenticator;
import io.keisei.gateway.auth.TokenRevocations;
import io.keisei.gateway.config.GatewayConfig;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live hub's WebSocket endpoint (docs/websocket-protocol.md): authentication by header or first
 * message, topic subscriptions with resume cursors, the connection budgets (1008), idle and
 * authentication time-outs, the subscription limit, the bad-message policy (error, then 1007 or
 * 1003), frames the server will not read (too big: 1009; broken: 1002 or 1007), and revoked tokens
 * (their connections are closed with 1008 as soon as this replica hears of the revocation, and after
 * the token cache's TTL at the latest, when their tokens are checked against PostgreSQL again).
 */
@WebSocket(path = "/ws")
@Singleton
public class HubSocket {

    static final int PROTOCOL_ERROR = 1002;
    static final int POLICY_VIOLATION = 1008;
    static final int UNSUPPORTED_DATA = 1003;
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;
    static final String TOKEN_REVOKED = "Unauthorized: token revoked";
    static final String TOPICS = "topics are 'sessions', 'system', 'session:<id>', 'evaluations' or 'evaluation:<id>'";
    private static final Logger LOG = Logger.getLogger(HubSocket.class);

    private final Connections connections;
    private final Hub hub;
    private final Replay replay;
    private final SessionCheck sessions;
    private final TokenAuthenticator authenticator;
    private final TokenRevocations revocations;
    private final ObjectMapper json;
    private final GatewayConfig.Ws config;
    private final Duration tokenCheckInterval;
    private final RefusedFrames refusedFrames;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ws-watchdog");
        t.setDaemon(true);
        return t;
    });
    /** Asks PostgreSQL whether the tokens of open connections are still valid (a thread of its own: it may wait). */
    private final ScheduledExecutorService tokenCheck = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ws-token-check");
        t.setDaemon(true);
        return t;
    });

    public HubSocket(Connections connections, Hub hub, Replay replay, SessionCheck sessions, TokenAuthenticator authenticator,
                     TokenRevocations revocations, ObjectMapper json, GatewayConfig config, RefusedFrames refusedFrames) {
        this.connections = connections;
        this.hub = hub;
        this.replay = replay;
        this.sessions = sessions;
        this.authenticator = authenticator;
        this.revocations = revocations;
        this.json = json;
        this.config = config.ws();
        this.tokenCheckInterval = config.auth().cacheTtl();
        this.refusedFrames = refusedFrames;
    }

    void start(@Observes StartupEvent ignored) {
        watchdog.scheduleWithFixedDelay(this::closeStale, 1, 1, TimeUnit.SECONDS);
        long every = Math.max(1000, tokenCheckInterval.toMillis());
        tokenCheck.scheduleWithFixedDelay(this::checkTokens, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        watchdog.shutdownNow();
        tokenCheck.shutdownNow();
    }

    /** A token was revoked (here or on another replica): its connections are closed at once. */
    void onRevoked(@Observes TokenRevocations.Revoked revoked) {
        for (ClientConnection c : connections.all()) {
            Principal p = c.principal;
            if (p != null && p.tokenId().equals(revoked.tokenId())) {
                closeRevoked(c);
            }
        }
    }

    /** Revocations may have been missed (the replica's subscription was lost or is new): check every token now. */
    void onMayHaveMissed(@Observes TokenRevocations.MayHaveMissed ignored) {
        try {
            tokenCheck.execute(this::checkTokens);
        } catch (RuntimeException e) {
            // shutting down
        }
    }

    /**
     * Closes the connections whose token PostgreSQL no longer holds valid: the bound (the token cache's TTL) for a
     * revocation this replica never heard of. If PostgreSQL cannot answer, connections stay as they are.
     */
    private void checkTokens() {
        Set<String> ids = new HashSet<>();
        for (ClientConnection c : connections.all()) {
            Principal p = c.principal;
            if (p != null && !c.closed) {
                ids.add(p.tokenId());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Set<String> active;
        try {
            active = revocations.stillActive(ids);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("cannot check the tokens of open WebSocket connections: %s", e.getMessage());
            return;
        }
        for (ClientConnection c : connections.all()) {
            Principal p = c.principal;
            // Only tokens asked about: a connection authenticated meanwhile was checked as it did.
            if (p != null && ids.contains(p.tokenId()) && !active.contains(p.tokenId())) {
                closeRevoked(c);
            }
        }
    }

    private void closeRevoked(ClientConnection c) {
        if (!c.closed && c.firstRevocation()) {
            error(c, "unauthorized", "the token was revoked");
            c.close(POLICY_VIOLATION, TOKEN_REVOKED);
        }
    }

    @OnOpen
    public void onOpen(WebSocketConnection connection) {
        String address = address(connection);
        Connections.Admission admission = connections.admit(connection, address);
        if (admission.client() == null) {
            connection.closeAndAwait(new CloseReason(POLICY_VIOLATION, admission.refusal()));
            return;
        }
        ClientConnection client = admission.client();
        watchdog.schedule(() -> {
            if (client.principal == null && !client.closed) {
                client.close(POLICY_VIOLATION, "Authentication timeout");
            }
        }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        String header = connection.handshakeRequest().header("Authorization");
        if (header != null) {
            authenticate(client, () -> authenticator.fromHeader(header, address));
        }
    }

    /** The client's address as the upgrade request saw it (proxy settings applied), else the socket's peer. */
    private static String address(WebSocketConnection connection) {
        String noted = connection.userData().get(HubUpgradeCheck.ADDRESS);
        if (noted != null) {
            return noted;
        }
        String remote = connection.handshakeRequest().remoteAddress();
        if (remote == null || remote.isEmpty()) {
            return "unknown";
        }
        int port = remote.lastIndexOf(':');
        return port > 0 ? remote.substring(0, port) : remote;
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
            msg = null;
            if (client.principal != null) {
                bad(client, "bad_message", "not JSON", INVALID_PAYLOAD);
                return;
            }
        }
        String type = msg == null || !msg.isObject() ? null : msg.path("type").asText(null);
        if (client.principal == null) {
            if ("auth".equals(type) && msg.path("token").isTextual()) {
                String bearer = "Bearer " + msg.path("token").asText();
                authenticate(client, () -> authenticator.fromHeader(bearer, client.address));
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

    /**
     * A message whose frames add up to more than the message limit: Vert.x reports it this way, and reads on.
     * (A frame over the frame limit is answered in the connection's pipeline: {@link RefusedFrames}.)
     */
    @OnError
    public void onIllegalState(IllegalStateException e, WebSocketConnection connection) {
        if (e.getMessage() == null || !e.getMessage().contains("max message size")) {
            throw e; // not ours: websockets-next's usual handling (log, close with 1011)
        }
        refuseFrame(connection, MESSAGE_TOO_BIG, e.getMessage());
    }

    /** Should a refused frame reach the endpoint after all (the pipeline handler missing): the same answer. */
    @OnError
    public void onBrokenFrame(CorruptedWebSocketFrameException e, WebSocketConnection connection) {
        refuseFrame(connection, e.closeStatus() == null ? PROTOCOL_ERROR : e.closeStatus().code(), e.getMessage());
    }

    private void refuseFrame(WebSocketConnection connection, int code, String detail) {
        ClientConnection client = connections.get(connection);
        if (client != null && !client.firstRefusedFrame()) {
            return; // the rest of the same message
        }
        refusedFrames.report(address(connection), code, detail);
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, RefusedFrames.reason(code))).subscribe().with(ok -> { }, failure -> { });
        }
    }

    private void authenticate(ClientConnection client, java.util.function.Supplier<Principal> how) {
        Principal p;
        try {
            p = how.get();
        } catch (ProblemException e) {
            switch (e.status()) {
                case 401 -> {
                    error(client, "unauthorized", e.getMessage());
                    client.close(POLICY_VIOLATION, "Unauthorized");
                }
                case 429 -> {
                    error(client, "rate_limited", e.getMessage());
                    client.close(POLICY_VIOLATION, "Try again later");
                }
                default -> {
                    error(client, "unavailable", e.getMessage());
                    client.close(POLICY_VIOLATION, "Try again");
                }
            }
            return;
        }
        if (!connections.authenticate(client, p)) {
            error(client, "connection_limit", "this gateway replica has all its " + connections.max()
                    + " connections in use; try again later");
            client.close(POLICY_VIOLATION, Connections.LIMIT_EXCEEDED);
            return;
        }
        ObjectNode data = json.createObjectNode().put("name", p.name()).put("owner", p.owner())
                .put("role", p.role().wireName()).put("connectionId", client.id());
        client.sendControl(json.createObjectNode().put("type", "welcome").set("data", data).toString(), hub::serialize);
    }

    private void subscribe(ClientConnection client, String topic, String cursor) {
        if (!Topics.valid(topic)) {
            bad(client, "unknown_topic", TOPICS + " (an id is 1-128 characters of letters, digits and _ . : @ -)", UNSUPPORTED_DATA);
            return;
        }
        Permission needed = Topics.permission(topic);
        if (!client.principal.has(needed)) {
            error(client, "forbidden", "role '" + client.principal.role().wireName() + "' may not "
                    + (needed == Permission.TRAINING_MONITOR ? "monitor" : "read evaluations"));
            return;
        }
        if (cursor != null && !cursor.isEmpty() && !StreamIds.valid(cursor)) {
            bad(client, "bad_message", "cursor must be a stream id such as 1732940000000-0", UNSUPPORTED_DATA);
            return;
        }
        boolean resume = cursor != null && !cursor.isEmpty();
        if (client.subscribed(topic)) {
            client.sendControl(subscribed(topic, 0), hub::serialize);
            return;
        }
        if (client.topics().size() >= client.maxTopics()) {
            subscriptionLimit(client);
            return;
        }
        // Only sessions are checked: an evaluation topic costs training-service nothing, and one that names no
        // evaluation simply never gets a message.
        String id = Topics.sessionOf(topic);
        if (id != null) {
            switch (sessions.check(client.principal, id)) {
                case UNKNOWN -> {
                    // Not a bad message: a page may still hold a session deleted meanwhile, and its reconnects must
                    // not end in a close each time. A flood of ids is bounded by SessionCheck instead.
                    error(client, "unknown_session", "no session '" + id + "'");
                    return;
                }
                case RATE_LIMITED -> {
                    error(client, "rate_limited", "too many requests with this token; try again in a second");
                    return;
                }
                case EXISTS, UNVERIFIED -> {
                    // subscribe
                }
            }
        }
        switch (client.addTopic(topic, resume)) {
            case ALREADY -> {
                client.sendControl(subscribed(topic, 0), hub::serialize);
                return;
            }
            case LIMIT -> {
                subscriptionLimit(client);
                return;
            }
            case ADDED -> hub.subscribe(client, topic);
        }
        if (client.closed) {
            hub.unsubscribe(client, topic); // closed meanwhile: its close may have missed this topic
            return;
        }
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

    private void subscriptionLimit(ClientConnection client) {
        error(client, "subscription_limit", "at most " + client.maxTopics()
                + " topics per connection; unsubscribe from one first");
    }

    private String subscribed(String topic, int replayed) {
        return "{\"type\":\"subscribed\",\"topic\":" + quote(topic) + ",\"data\":{\"replayed\":" + replayed + "}}";
    }

    private void unsubscribe(ClientConnection client, String topic) {
        if (!Topics.valid(topic)) {
            bad(client, "unknown_topic", TOPICS, UNSUPPORTED_DATA);
            return;
        }
        hub.unsubscribe(client, topic);
        client.removeTopic(topic);
        client.sendControl("{\"type\":\"unsubscribed\",\"topic\":" + quote(topic) + "}", hub::serialize);
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
            if (c.principal == null && now - c.openedAt >= config.authTimeout().toMillis()) {
                c.close(POLICY_VIOLATION, "Authentication timeout"); // a backstop: each connection has its own timer
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
