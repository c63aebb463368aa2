package io.keisei.gateway.hub;

import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reconnecting client missed since its cursor, read back from the streams. Stream ids are
 * per stream but share Redis' clock, so each stream is read from the start of the cursor's
 * millisecond: nothing is missed, and a message from that same millisecond may come twice
 * (every message type is safe to apply twice). Bounded: at most {@code replay-limit} messages per
 * topic (the newest), scanning at most {@link #MAX_SCAN} entries per stream.
 */
@ApplicationScoped
public class Replay {

    static final int MAX_SCAN = 50_000;
    private static final int PAGE = 1000;

    /** The replayed messages in stream-id order, and the newest id replayed per stream. */
    record Result(List<Envelope> envelopes, Map<String, String> upTo) {
    }

    private final StreamCommands<String, String, String> streams;
    private final int limit;

    public Replay(RedisDataSource redis, GatewayConfig config) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.limit = config.ws().replayLimit();
    }

    Result since(String topic, String cursor) {
        List<String> sources = Topics.replayStreams(topic);
        List<Envelope> all = new ArrayList<>();
        Map<String, String> upTo = new HashMap<>();
        long now = System.currentTimeMillis();
        for (String stream : sources) {
            Deque<Envelope> kept = new ArrayDeque<>();
            String from = StreamIds.millis(cursor) + "-0";
            boolean inclusive = true;
            int scanned = 0;
            while (scanned < MAX_SCAN) {
                var page = streams.xrange(stream, StreamRange.of(inclusive ? from : "(" + from, "+"), PAGE);
                for (var m : page) {
                    upTo.put(stream, m.id());
                    if (m.id().equals(cursor)) {
                        continue;
                    }
                    StreamMessage msg = StreamRecords.decode(stream, m.payload());
                    if (msg == null || !Topics.of(msg).contains(topic)) {
                        continue; // not a record this topic gets live
                    }
                    kept.addLast(envelope(topic, m.id(), msg, now, stream));
                    if (stream.equals(Streams.GAMES)) {
                        // Game states replace each other: only the newest matters.
                        while (kept.size() > 1) {
                            kept.removeFirst();
                        }
                    } else if (kept.size() > limit) {
                        kept.removeFirst();
                    }
                }
                scanned += page.size();
                if (page.size() < PAGE) {
                    break;
                }
                from = page.get(page.size() - 1).id();
                inclusive = false;
            }
            all.addAll(kept);
        }
        all.sort(Comparator.comparing(Envelope::id, StreamIds::compare));
        if (all.size() > limit) {
            all = new ArrayList<>(all.subList(all.size() - limit, all.size()));
        }
        return new Result(all, upTo);
    }

    private static Envelope envelope(String topic, String id, StreamMessage msg, long now, String stream) {
        if (msg instanceof MetricUpdate u) {
            return new Envelope(Envelope.TRAINING_UPDATE, topic, u.session(), id, now,
                    new TrainingUpdate(false, u.attempt(), u.step(), u.time(), u.metrics(), null), stream, 0);
        }
        if (msg instanceof GameState g) {
            return new Envelope(Envelope.GAME_STATE, topic, g.session(), id, now, g, stream, 0);
        }
        return Envelope.event(topic, id, now, (LifecycleEvent) msg, 0);
    }
}
