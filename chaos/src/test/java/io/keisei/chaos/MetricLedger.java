package io.keisei.chaos;

import io.keisei.contracts.MessageFormatException;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the trainers published, seen by an independent reader of {@code keisei:metrics} (plain XREAD, like a
 * gateway, resuming from its last id across Redis restarts). It applies the storage rules that are part of the
 * contract, so that it says what must be stored: a later record for the same (session, metric, step) replaces an
 * earlier one, and a resumed attempt supersedes earlier attempts' points at and after its first step.
 */
final class MetricLedger implements AutoCloseable {

    /** One stored point's identity. */
    record Key(String session, String metric, long step) {
    }

    /** A published record of a watched session: its stream id's time and step, in stream order. */
    record Entry(String id, long idMillis, long step) {
    }

    private final String url;
    private final Set<String> sessions;
    private final Map<Key, Double> expected = new HashMap<>();
    private final Map<Key, Integer> attemptOf = new HashMap<>();
    private final Map<String, Integer> highestAttempt = new HashMap<>();
    private final Map<String, List<Entry>> entries = new HashMap<>();
    private final Thread reader;
    private volatile boolean running = true;
    private volatile String lastId = "0-0";
    private volatile String lastGameId = "0-0";
    private volatile String lastEventId = "0-0";
    /** Per session: the id times of its game and event entries, which share the hub's replay bound. */
    private final Map<String, List<Long>> others = new HashMap<>();
    private long records;
    private int reconnects;

    MetricLedger(String url, Set<String> sessions) {
        this.url = url;
        this.sessions = Set.copyOf(sessions);
        sessions.forEach(s -> {
            entries.put(s, new ArrayList<>());
            others.put(s, new ArrayList<>());
        });
        reader = new Thread(this::run, "metric-ledger");
        reader.setDaemon(true);
        reader.start();
    }

    private void run() {
        while (running) {
            try (Jedis redis = new Jedis(URI.create(url), 5000, 5000)) {
                while (running) {
                    List<Map.Entry<String, List<StreamEntry>>> batches = redis.xread(
                            XReadParams.xReadParams().block(1000).count(1000), Map.of(
                                    Streams.METRICS, new StreamEntryID(lastId),
                                    Streams.GAMES, new StreamEntryID(lastGameId),
                                    Streams.EVENTS, new StreamEntryID(lastEventId)));
                    if (batches == null) {
                        continue;
                    }
                    for (Map.Entry<String, List<StreamEntry>> batch : batches) {
                        for (StreamEntry e : batch.getValue()) {
                            if (Streams.METRICS.equals(batch.getKey())) {
                                accept(e);
                                lastId = e.getID().toString();
                            } else {
                                acceptOther(e);
                                if (Streams.GAMES.equals(batch.getKey())) {
                                    lastGameId = e.getID().toString();
                                } else {
                                    lastEventId = e.getID().toString();
                                }
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                synchronized (this) {
                    reconnects++;
                }
                sleep(300);
            }
        }
    }

    private synchronized void accept(StreamEntry e) {
        MetricUpdate u;
        try {
            u = StreamCodec.fromEntry(e.getFields(), MetricUpdate.class);
        } catch (MessageFormatException ex) {
            return;
        }
        if (!sessions.contains(u.session())) {
            return;
        }
        records++;
        entries.get(u.session()).add(new Entry(e.getID().toString(), e.getID().getTime(), u.step()));
        int highest = highestAttempt.getOrDefault(u.session(), 0);
        if (u.attempt() < highest) {
            return; // a late record of an attempt that a resume already superseded
        }
        if (u.attempt() > highest) {
            highestAttempt.put(u.session(), u.attempt());
            if (highest > 0) {
                supersede(u.session(), u.attempt(), u.step());
            }
        }
        if (u.metrics() == null) {
            return;
        }
        for (Map.Entry<String, Double> m : u.metrics().entrySet()) {
            if (m.getValue() == null || m.getValue().isNaN() || m.getValue().isInfinite()) {
                continue;
            }
            Key k = new Key(u.session(), m.getKey(), u.step());
            expected.put(k, m.getValue());
            attemptOf.put(k, u.attempt());
        }
    }

    private synchronized void acceptOther(StreamEntry e) {
        try {
            String session = ChaosSuite.JSON.readTree(e.getFields().get(Streams.PAYLOAD_FIELD)).path("session").asText();
            List<Long> times = others.get(session);
            if (times != null) {
                times.add(e.getID().getTime());
            }
        } catch (Exception ex) {
            // not a record of ours
        }
    }

    /** How many game and event entries of the session have id times in [fromMillis, toMillis]. */
    synchronized int othersBetween(String session, long fromMillis, long toMillis) {
        int n = 0;
        for (long t : others.get(session)) {
            if (t >= fromMillis && t <= toMillis) {
                n++;
            }
        }
        return n;
    }

    private void supersede(String session, int attempt, long fromStep) {
        for (Iterator<Map.Entry<Key, Double>> it = expected.entrySet().iterator(); it.hasNext(); ) {
            Key k = it.next().getKey();
            if (k.session().equals(session) && k.step() >= fromStep && attemptOf.get(k) < attempt) {
                it.remove();
                attemptOf.remove(k);
            }
        }
    }

    /** A copy of what must be stored now. */
    synchronized Map<Key, Double> expected() {
        return new HashMap<>(expected);
    }

    /** The session's published records so far, in stream order. */
    synchronized List<Entry> entries(String session) {
        return new ArrayList<>(entries.get(session));
    }

    synchronized long records() {
        return records;
    }

    synchronized int reconnects() {
        return reconnects;
    }

    String lastId() {
        return lastId;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.join(3000);
    }
}
