package io.keisei.gateway.hub;

import io.keisei.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The open WebSocket clients of this replica, admission against the connection limit, and their counts. */
@ApplicationScoped
public class Connections {

    private final Map<String, ClientConnection> open = new ConcurrentHashMap<>();
    private final int max;
    private final int eventLimit;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public Connections(GatewayConfig config, MeterRegistry registry) {
        this.max = config.ws().maxConnections();
        this.eventLimit = config.ws().eventQueueLimit();
        Gauge.builder("keisei_gateway_ws_connections", open, Map::size).description("Open WebSocket connections").register(registry);
        Gauge.builder("keisei_gateway_ws_connection_utilisation", open, m -> m.size() / (double) max)
                .description("Open WebSocket connections over the limit").register(registry);
        registry.gauge("keisei_gateway_ws_connections_rejected_total", rejected);
    }

    /** The new client, or null when the limit is reached (the caller closes with 1008). */
    synchronized ClientConnection admit(WebSocketConnection c) {
        if (open.size() >= max) {
            rejected.incrementAndGet();
            return null;
        }
        ClientConnection client = new ClientConnection(c, eventLimit);
        open.put(c.id(), client);
        accepted.incrementAndGet();
        return client;
    }

    ClientConnection get(WebSocketConnection c) {
        return open.get(c.id());
    }

    ClientConnection remove(WebSocketConnection c) {
        return open.remove(c.id());
    }

    Collection<ClientConnection> all() {
        return open.values();
    }

    public int count() {
        return open.size();
    }

    public int max() {
        return max;
    }

    public long accepted() {
        return accepted.get();
    }

    public long rejected() {
        return rejected.get();
    }
}
