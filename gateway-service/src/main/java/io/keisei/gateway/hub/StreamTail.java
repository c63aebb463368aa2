package io.keisei.gateway.hub;

import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the four live streams once for this replica (plain XREAD, no consumer group: every replica
 * sees everything) and hands each record to the {@link Hub}. At start it seeds the live state from
 * the newest records and continues exactly after them, so nothing falls between seed and tail.
 */
@ApplicationScoped
public class StreamTail {

    private static final Logger LOG = Logger.getLogger(StreamTail.class);
    private static final List<String> STREAMS = List.of(Streams.METRICS, Streams.GAMES, Streams.EVENTS, Streams.SYSTEM);
    private static final Map<String, Integer> SEED = Map.of(Streams.METRICS, 2000, Streams.GAMES, 200, Streams.EVENTS, 1000,
            Streams.SYSTEM, 2);

    private final StreamCommands<String, String, String> streams;
    private final Hub hub;
    private final Map<String, String> lastIds = new LinkedHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private volatile long records;

    public StreamTail(RedisDataSource redis, Hub hub) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.hub = hub;
    }

    void start(@Observes StartupEvent ignored) {
        running = true;
        thread = new Thread(this::run, "hub-stream-tail");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    public long recordsRead() {
        return records;
    }

    private void run() {
        while (running && !seed()) {
            pause();
        }
        while (running) {
            try {
                List<io.quarkus.redis.datasource.stream.StreamMessage<String, String, String>> batch =
                        streams.xread(lastIds, new XReadArgs().block(Duration.ofSeconds(1)).count(1000));
                for (var m : batch) {
                    lastIds.put(m.key(), m.id());
                    dispatch(m.key(), m.id(), m.payload());
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("stream tail: %s; retrying", e.getMessage());
                    pause();
                }
            }
        }
    }

    private boolean seed() {
        try {
            for (String stream : STREAMS) {
                List<io.quarkus.redis.datasource.stream.StreamMessage<String, String, String>> newest =
                        streams.xrevrange(stream, StreamRange.of("+", "-"), SEED.get(stream));
                lastIds.put(stream, newest.isEmpty() ? "0-0" : newest.get(0).id());
                for (int i = newest.size() - 1; i >= 0; i--) {
                    var m = newest.get(i);
                    dispatch(stream, m.id(), m.payload());
                }
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("stream tail cannot seed yet: %s", e.getMessage());
            lastIds.clear();
            return false;
        }
    }

    private void dispatch(String stream, String id, Map<String, String> entry) {
        StreamMessage m = StreamRecords.decode(stream, entry);
        if (m == null) {
            return;
        }
        records++;
        try {
            if (m instanceof MetricUpdate u) {
                hub.onMetric(id, u);
            } else if (m instanceof GameState g) {
                hub.onGame(id, g);
            } else if (m instanceof LifecycleEvent e) {
                hub.onEvent(id, e);
            } else if (m instanceof SystemStatus s) {
                hub.onSystem(id, s);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "hub failed on %s record %s", stream, id);
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
