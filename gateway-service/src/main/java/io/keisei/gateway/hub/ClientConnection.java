package io.keisei.gateway.hub;

import io.keisei.gateway.auth.Principal;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One WebSocket client: its identity, topics and a bounded outbox. At most one send is in flight;
 * while it is, newer training_update / game_state / system_status messages replace older unsent
 * ones of the same (topic, type, session) (training updates are merged, so no change is lost), and
 * events queue up to a bound, after which the client is told to resync over REST. A slow client
 * therefore costs a fixed amount of memory and always gets the latest state.
 */
final class ClientConnection {

    /** Entries of the send order: an event, a conflation key, or a marker. */
    private sealed interface Slot permits EventSlot, KeySlot, ResyncSlot, ControlSlot {
    }

    private record ControlSlot(String json) implements Slot {
    }

    private record EventSlot(Envelope envelope) implements Slot {
    }

    private record KeySlot(String key) implements Slot {
    }

    private record ResyncSlot() implements Slot {
    }

    /** What {@link #addTopic} answers. */
    enum Added { ADDED, ALREADY, LIMIT }

    final WebSocketConnection connection;
    /** The client's address, for the budget of unauthenticated connections. */
    final String address;
    final long openedAt = System.currentTimeMillis();
    /** Set by {@link Connections} only, under its lock: it moves the client into the authenticated budget. */
    volatile Principal principal;
    volatile long lastSeen = System.currentTimeMillis();
    /** Set once the connection is gone: a subscription racing with the close undoes itself. */
    volatile boolean closed;
    int badMessages;
    private boolean refusedFrame;
    private boolean revoked;

    private final Set<String> topics = new HashSet<>();
    private final ArrayDeque<Slot> order = new ArrayDeque<>();
    private final Map<String, Envelope> conflated = new HashMap<>();
    /** Topics being replayed: live messages wait here so they follow the replay. */
    private final Map<String, List<Envelope>> heldBack = new HashMap<>();
    private int queuedEvents;
    private boolean sending;
    private final int eventLimit;
    private final int maxTopics;
    private long conflatedCount;

    ClientConnection(WebSocketConnection connection, String address, int eventLimit, int maxTopics) {
        this.connection = connection;
        this.address = address;
        this.eventLimit = eventLimit;
        this.maxTopics = maxTopics;
    }

    String id() {
        return connection.id();
    }

    synchronized boolean subscribed(String topic) {
        return topics.contains(topic);
    }

    synchronized Set<String> topics() {
        return Set.copyOf(topics);
    }

    /** Subscribes this client to a topic, unless it already is or has as many topics as it may. */
    synchronized Added addTopic(String topic, boolean holdBack) {
        if (topics.contains(topic)) {
            return Added.ALREADY;
        }
        if (topics.size() >= maxTopics) {
            return Added.LIMIT;
        }
        topics.add(topic);
        if (holdBack) {
            heldBack.put(topic, new ArrayList<>());
        }
        return Added.ADDED;
    }

    int maxTopics() {
        return maxTopics;
    }

    /** True the first time only: a refused frame (too big, broken) is counted and answered once per connection. */
    synchronized boolean firstRefusedFrame() {
        boolean first = !refusedFrame;
        refusedFrame = true;
        return first;
    }

    /** True the first time only: a connection whose token was revoked is told and closed once. */
    synchronized boolean firstRevocation() {
        boolean first = !revoked;
        revoked = true;
        return first;
    }

    synchronized void removeTopic(String topic) {
        topics.remove(topic);
        heldBack.remove(topic);
        conflated.keySet().removeIf(k -> k.startsWith(topic + '|'));
    }

    synchronized long conflatedCount() {
        return conflatedCount;
    }

    /**
     * Ends a replay: live messages held back meanwhile follow, except those the replay already carried
     * ({@code replayedUpTo}: the newest replayed id per stream).
     */
    void endHoldBack(String topic, Map<String, String> replayedUpTo, Function<Envelope, String> serializer) {
        List<Envelope> held;
        synchronized (this) {
            held = heldBack.remove(topic);
        }
        if (held == null) {
            return;
        }
        for (Envelope e : held) {
            String upTo = replayedUpTo.get(e.stream());
            if (upTo == null || e.id() == null || StreamIds.compare(e.id(), upTo) > 0) {
                offer(e, serializer);
            }
        }
    }

    /** Queues a message for this client; returns false when it was held back or dropped. */
    boolean offer(Envelope e, Function<Envelope, String> serializer) {
        synchronized (this) {
            if (!topics.contains(e.topic())) {
                return false;
            }
            List<Envelope> held = heldBack.get(e.topic());
            if (held != null) {
                if (held.size() < 10_000) {
                    held.add(e);
                }
                return false;
            }
            enqueue(e);
            if (sending) {
                return true;
            }
            sending = true;
        }
        sendNext(serializer);
        return true;
    }

    /** Replayed messages: queued in order, not conflated and not counted against the event bound. */
    void offerReplay(List<Envelope> replay, Function<Envelope, String> serializer) {
        synchronized (this) {
            for (Envelope e : replay) {
                order.add(new EventSlot(e));
            }
            if (sending || order.isEmpty()) {
                return;
            }
            sending = true;
        }
        sendNext(serializer);
    }

    private void enqueue(Envelope e) {
        if (e.isEvent()) {
            if (queuedEvents >= eventLimit) {
                order.removeIf(s -> s instanceof EventSlot es && es.envelope().isEvent());
                queuedEvents = 0;
                order.add(new ResyncSlot());
                return;
            }
            queuedEvents++;
            order.add(new EventSlot(e));
            return;
        }
        String key = e.conflationKey();
        Envelope pending = conflated.get(key);
        if (pending == null) {
            conflated.put(key, e);
            order.add(new KeySlot(key));
            return;
        }
        conflatedCount++;
        if (pending.data() instanceof TrainingUpdate older && e.data() instanceof TrainingUpdate newer) {
            conflated.put(key, new Envelope(e.type(), e.topic(), e.session(), e.id(), e.ts(), older.mergedWith(newer),
                    e.stream(), e.producedAt()));
        } else {
            conflated.put(key, e);
        }
    }

    private Object poll() {
        synchronized (this) {
            while (true) {
                Slot s = order.poll();
                if (s == null) {
                    sending = false;
                    return null;
                }
                if (s instanceof EventSlot es) {
                    if (es.envelope().isEvent() && queuedEvents > 0) {
                        queuedEvents--;
                    }
                    return es.envelope();
                }
                if (s instanceof ResyncSlot) {
                    return "{\"type\":\"resync\"}";
                }
                if (s instanceof ControlSlot c) {
                    return c.json();
                }
                Envelope e = conflated.remove(((KeySlot) s).key());
                if (e != null) {
                    return e;
                }
            }
        }
    }

    private void sendNext(Function<Envelope, String> serializer) {
        Object next = poll();
        if (next == null) {
            return;
        }
        String text = next instanceof Envelope e ? serializer.apply(e) : (String) next;
        if (!connection.isOpen()) {
            synchronized (this) {
                sending = false;
            }
            return;
        }
        connection.sendText(text).subscribe().with(ok -> sendNext(serializer), failure -> {
            synchronized (this) {
                sending = false;
            }
        });
    }

    void close(int code, String reason) {
        if (connection.isOpen()) {
            connection.close(new CloseReason(code, reason)).subscribe().with(ok -> { }, failure -> { });
        }
    }

    /** Queues a control message (welcome, subscribed, error) in order with everything else. */
    void sendControl(String json, Function<Envelope, String> serializer) {
        synchronized (this) {
            order.add(new ControlSlot(json));
            if (sending) {
                return;
            }
            sending = true;
        }
        sendNext(serializer);
    }
}
