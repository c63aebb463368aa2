package io.keisei.gateway.hub;

import io.keisei.gateway.auth.Principal;
import io.keisei.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open WebSocket clients of this replica and their admission. Two budgets: authenticated
 * connections (the connection limit), and connections that have not authenticated yet, a few per
 * client address and outside the connection limit, so sockets that never authenticate cannot lock
 * out valid logins (they are also closed after the authentication time-out).
 */
@ApplicationScoped
public class Connections {

    static final String LIMIT_EXCEEDED = "Connection limit exceeded";
    static final String ADDRESS_LIMIT_EXCEEDED = "Too many unverified connections from this address";

    /** The new client, or null with the reason it was refused (the caller closes with 1008). */
    record Admission(ClientConnection client, String refusal) {
    }

    private final Map<String, ClientConnection> open = new ConcurrentHashMap<>();
    /** Unauthenticated connections per client address; an address leaves the map with its last one. Guarded by this. */
    private final Map<String, Integer> unauthenticatedByAddress = new HashMap<>();
    private int authenticated;
    private int unauthenticated;
    private final int max;
    private final int maxUnauthenticatedPerAddress;
    private final int eventLimit;
    private final int maxSubscriptions;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public Connections(GatewayConfig config, MeterRegistry registry) {
        this.max = config.ws().maxConnections();
        this.maxUnauthenticatedPerAddress = config.ws().maxUnauthenticatedPerAddress();
        this.eventLimit = config.ws().eventQueueLimit();
        this.maxSubscriptions = config.ws().maxSubscriptions();
        Gauge.builder("keisei_gateway_ws_connections", open, Map::size).description("Open WebSocket connections").register(registry);
        Gauge.builder("keisei_gateway_ws_connections_unauthenticated", this, Connections::unauthenticated)
                .description("Open WebSocket connections that have not authenticated yet").register(registry);
        Gauge.builder("keisei_gateway_ws_connection_utilisation", this, c -> c.authenticated() / (double) c.max)
                .description("Authenticated WebSocket connections over the limit").register(registry);
        registry.gauge("keisei_gateway_ws_connections_rejected_total", rejected);
    }

    /**
     * Admits a new, not yet authenticated connection from {@code address}: refused when the connection
     * limit is already full (there is no slot it could authenticate into) or when the address has its
     * whole budget of unauthenticated connections open.
     */
    synchronized Admission admit(WebSocketConnection c, String address) {
        if (authenticated >= max) {
            rejected.incrementAndGet();
            return new Admission(null, LIMIT_EXCEEDED);
        }
        int pending = unauthenticatedByAddress.getOrDefault(address, 0);
        if (pending >= maxUnauthenticatedPerAddress) {
            rejected.incrementAndGet();
            return new Admission(null, ADDRESS_LIMIT_EXCEEDED);
        }
        unauthenticatedByAddress.put(address, pending + 1);
        unauthenticated++;
        ClientConnection client = new ClientConnection(c, address, eventLimit, maxSubscriptions);
        open.put(c.id(), client);
        accepted.incrementAndGet();
        return new Admission(client, null);
    }

    /**
     * Moves a client into the authenticated budget as {@code principal}; false (and nothing changes) when
     * the connection limit is full or the client is gone.
     */
    synchronized boolean authenticate(ClientConnection client, Principal principal) {
        if (client.principal != null) {
            return true;
        }
        if (open.get(client.id()) != client) {
            return false;
        }
        if (authenticated >= max) {
            rejected.incrementAndGet();
            return false;
        }
        releaseUnauthenticated(client.address);
        authenticated++;
        client.principal = principal;
        return true;
    }

    ClientConnection get(WebSocketConnection c) {
        return open.get(c.id());
    }

    /** Forgets a closed connection and frees its slot; marks the client closed. */
    synchronized ClientConnection remove(WebSocketConnection c) {
        ClientConnection client = open.remove(c.id());
        if (client == null) {
            return null;
        }
        client.closed = true;
        if (client.principal != null) {
            authenticated--;
        } else {
            releaseUnauthenticated(client.address);
        }
        return client;
    }

    private void releaseUnauthenticated(String address) {
        unauthenticated--;
        unauthenticatedByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    Collection<ClientConnection> all() {
        return open.values();
    }

    /** Open connections, authenticated or not. */
    public int count() {
        return open.size();
    }

    public synchronized int authenticated() {
        return authenticated;
    }

    public synchronized int unauthenticated() {
        return unauthenticated;
    }

    /** Client addresses with unauthenticated connections open (an entry each). */
    synchronized int unauthenticatedAddresses() {
        return unauthenticatedByAddress.size();
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
