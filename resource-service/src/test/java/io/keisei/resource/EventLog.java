package io.keisei.resource;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.keisei.resource.stream.AllocationEventPublisher;
import io.quarkus.redis.datasource.stream.StreamRange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** Reads keisei:events back in tests. */
public final class EventLog {

    private EventLog() {
    }

    /**
     * Waits until the outbox has sent everything committed so far: events follow a call's answer by milliseconds (the
     * relay's own thread sends them), and an assertion that an event did not happen is only worth something after that.
     */
    public static void awaitRelayed(AllocationEventPublisher events) {
        await().atMost(Duration.ofSeconds(10)).until(() -> events.relay().measure().rows() == 0);
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
