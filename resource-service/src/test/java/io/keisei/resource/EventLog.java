package io.keisei.resource;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;

import java.util.ArrayList;
import java.util.List;

/** Reads keisei:events back in tests. */
public final class EventLog {

    private EventLog() {
    }

    /** The lifecycle events of one session, oldest first. */
    public static List<LifecycleEvent> of(RedisDataSource redis, String session) {
        List<LifecycleEvent> out = new ArrayList<>();
        for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+"))) {
            LifecycleEvent e = StreamCodec.fromEntry(m.payload(), LifecycleEvent.class);
            if (e.session().equals(session)) {
                out.add(e);
            }
        }
        return out;
    }

    public static List<LifecycleEvent> of(RedisDataSource redis, String session, EventType type) {
        return of(redis, session).stream().filter(e -> e.type() == type).toList();
    }
}
