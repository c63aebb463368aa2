package io.keisei.gateway.hub;

import io.keisei.gateway.perf.LatencyHistogram;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.TreeMap;

/** The hub's figures for the performance monitor: connections, subscriptions, deliveries and their latency. */
@ApplicationScoped
public class HubStats {

    /**
     * @param deliveryLatency per message type: from the producer's publish time to the hand-over to the socket
     * @param perSession      subscribers per session topic
     */
    public record WebSocketStats(int connections, int maxConnections, double utilisation, long accepted, long rejected,
                                 Map<String, Integer> perSession, Map<String, Integer> perTopic,
                                 Map<String, LatencyHistogram.Summary> deliveryLatency, Map<String, Long> messagesSent,
                                 long conflated, long streamRecordsRead) {
    }

    /**
     * What the hub holds on to for its clients, for leak checks: each figure returns to its baseline once the
     * clients are gone.
     *
     * @param topics                   topic entries (each has a subscriber)
     * @param subscriptions            (topic, client) pairs
     * @param connections              open connections, authenticated or not
     * @param unauthenticated          open connections that have not authenticated
     * @param unauthenticatedAddresses client addresses with unauthenticated connections open
     * @param liveSessions             sessions with live state (fed by the streams, not by clients)
     */
    public record Retained(int topics, int subscriptions, int connections, int unauthenticated, int unauthenticatedAddresses,
                           int liveSessions) {
    }

    private final Connections connections;
    private final Hub hub;
    private final LiveState live;
    private final StreamTail tail;

    public HubStats(Connections connections, Hub hub, LiveState live, StreamTail tail) {
        this.connections = connections;
        this.hub = hub;
        this.live = live;
        this.tail = tail;
    }

    public Retained retained() {
        return new Retained(hub.topicCount(), hub.subscriptionCount(), connections.count(), connections.unauthenticated(),
                connections.unauthenticatedAddresses(), live.sessions().size());
    }

    public WebSocketStats webSocketStats() {
        Map<String, Integer> perTopic = hub.subscriberCounts();
        Map<String, Integer> perSession = new TreeMap<>();
        perTopic.forEach((topic, n) -> {
            if (topic.startsWith(Hub.SESSION_TOPIC_PREFIX)) {
                perSession.put(topic.substring(Hub.SESSION_TOPIC_PREFIX.length()), n);
            }
        });
        long conflated = connections.all().stream().mapToLong(ClientConnection::conflatedCount).sum();
        int n = connections.count();
        return new WebSocketStats(n, connections.max(), connections.authenticated() / (double) connections.max(), connections.accepted(),
                connections.rejected(), perSession, perTopic, hub.deliveryLatency(), hub.pushedCounts(), conflated,
                tail.recordsRead());
    }

    public Map<String, Double> trainerThroughput() {
        return live.throughput();
    }
}
