package io.keisei.common.stream;

import io.keisei.contracts.MessageFormatException;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.ClaimedMessages;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An at-least-once reader of one stream through a consumer group. The handler must commit
 * before it returns: only then are the entries acknowledged, so a crash between the two
 * re-delivers them (handlers are idempotent). Entries that cannot be decoded go to
 * {@link Streams#DEAD_LETTER} and are acknowledged, so one bad record never blocks the group.
 * Entries left pending by a dead consumer are reclaimed with XAUTOCLAIM after {@code claimIdle}.
 *
 * <p>In stream order: when the handler throws (a database outage), the failed batch stays pending for this
 * consumer, and the consumer retries its own pending entries (XREADGROUP from id 0), every {@code retryBackoff},
 * until they succeed, before it reads a new entry. So a batch that keeps failing holds its group back rather than
 * being overtaken; the group's lag then grows, which {@link GroupLagMonitor} reports long before the stream's
 * trimming could reach entries the group has not read.
 */
public final class GroupConsumer<T extends io.keisei.contracts.StreamMessage> implements AutoCloseable {

    /** Processes a decoded batch and commits it; throwing leaves the batch pending for redelivery. */
    @FunctionalInterface
    public interface BatchHandler<T> {
        void handle(List<Received<T>> batch) throws Exception;
    }

    /** A decoded message with its stream entry id. */
    public record Received<T>(String id, T message) {
    }

    /**
     * How a consumer reads: batch size, how long XREADGROUP blocks, when pending entries count as abandoned, how
     * long it waits after a failed batch, and the approximate max length of {@link Streams#DEAD_LETTER}.
     */
    public record Settings(int batchSize, Duration block, Duration claimIdle, Duration retryBackoff,
                           long deadLetterMaxLength) {

        /** With the dead-letter stream's default max length. */
        public Settings(int batchSize, Duration block, Duration claimIdle, Duration retryBackoff) {
            this(batchSize, block, claimIdle, retryBackoff, Streams.DEAD_LETTER_MAXLEN);
        }

        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(1));
        }
    }

    private static final Logger LOG = Logger.getLogger(GroupConsumer.class);

    private final StreamCommands<String, String, String> streams;
    private final String stream;
    private final String group;
    private final String consumer;
    private final Class<T> type;
    private final BatchHandler<T> handler;
    private final Settings settings;
    private final Counter consumed;
    private final MeterRegistry registry;
    private final Set<MessageFormatException.Kind> loggedKinds = EnumSet.noneOf(MessageFormatException.Kind.class);
    private volatile boolean running;
    private Thread thread;
    private long lastClaim;

    public GroupConsumer(RedisDataSource redis, MeterRegistry registry, String stream, String group, String consumer,
                         Class<T> type, Settings settings, BatchHandler<T> handler) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.registry = registry;
        this.stream = stream;
        this.group = group;
        this.consumer = consumer;
        this.type = type;
        this.settings = settings;
        this.handler = handler;
        this.consumed = Counter.builder("keisei.stream.consumed").tag("stream", stream).tag("group", group)
                .description("stream entries processed and acknowledged").register(registry);
    }

    /** Creates the group if needed and starts the reading thread. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "consumer-" + group + "-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean groupReady = false;
        boolean ownPendingDone = false;
        while (running) {
            try {
                if (!groupReady) {
                    ensureGroup();
                    groupReady = true;
                }
                if (!ownPendingDone) {
                    // After a restart under the same name, first finish what this consumer had read but not acked.
                    List<StreamMessage<String, String, String>> own = streams.xreadgroup(group, consumer, stream, "0",
                            new XReadGroupArgs().count(settings.batchSize()));
                    if (own == null || own.isEmpty()) {
                        ownPendingDone = true;
                    } else {
                        process(own);
                    }
                    continue;
                }
                reclaimAbandoned();
                List<StreamMessage<String, String, String>> fresh = streams.xreadgroup(group, consumer, stream, ">",
                        new XReadGroupArgs().count(settings.batchSize()).block(settings.block()));
                if (fresh != null && !fresh.isEmpty()) {
                    process(fresh);
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("consumer %s/%s on %s: %s; retrying in %s", group, consumer, stream, e.getMessage(),
                        settings.retryBackoff());
                // What failed is pending for this consumer: retry it before reading anything newer, so the
                // entries are stored in stream order (not overtaken by those that arrive meanwhile).
                ownPendingDone = false;
                sleep(settings.retryBackoff());
            }
        }
    }

    private void ensureGroup() {
        try {
            streams.xgroupCreate(stream, group, "0", new XGroupCreateArgs().mkstream());
        } catch (Exception e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    private void reclaimAbandoned() throws Exception {
        long now = System.currentTimeMillis();
        if (now - lastClaim < settings.claimIdle().toMillis() / 2) {
            return;
        }
        lastClaim = now;
        String cursor = "0-0";
        do {
            ClaimedMessages<String, String, String> claimed = streams.xautoclaim(stream, group, consumer,
                    settings.claimIdle(), cursor, settings.batchSize());
            if (claimed == null) {
                return;
            }
            if (!claimed.getMessages().isEmpty()) {
                LOG.infof("consumer %s reclaimed %d abandoned entries of %s", consumer, claimed.getMessages().size(), stream);
                process(claimed.getMessages());
            }
            cursor = claimed.getId();
        } while (cursor != null && !"0-0".equals(cursor) && running);
    }

    private void process(List<StreamMessage<String, String, String>> entries) throws Exception {
        List<Received<T>> good = new ArrayList<>(entries.size());
        List<String> bad = new ArrayList<>();
        for (StreamMessage<String, String, String> entry : entries) {
            if (entry.payload() == null) {
                // Trimmed away while pending: nothing left to process.
                bad.add(entry.id());
                continue;
            }
            try {
                good.add(new Received<>(entry.id(), StreamCodec.fromEntry(entry.payload(), type)));
            } catch (MessageFormatException e) {
                deadLetter(entry, e);
                bad.add(entry.id());
            }
        }
        if (!good.isEmpty()) {
            handler.handle(good);
        }
        List<String> ids = new ArrayList<>(entries.size());
        good.forEach(r -> ids.add(r.id()));
        ids.addAll(bad);
        if (!ids.isEmpty()) {
            streams.xack(stream, group, ids.toArray(String[]::new));
            consumed.increment(good.size());
        }
    }

    private void deadLetter(StreamMessage<String, String, String> entry, MessageFormatException e) {
        Counter.builder("keisei.stream.dead_lettered").tag("stream", stream).tag("kind", e.kind().name())
                .description("stream entries that could not be decoded").register(registry).increment();
        synchronized (loggedKinds) {
            if (loggedKinds.add(e.kind())) {
                LOG.warnf("dead-lettering %s entry %s (%s): %s; further %s entries are counted, not logged",
                        stream, entry.id(), e.kind(), e.getMessage(), e.kind());
            }
        }
        Map<String, String> fields = new HashMap<>();
        entry.payload().forEach((k, v) -> fields.put("original." + k, v));
        fields.put("stream", stream);
        fields.put("id", entry.id());
        fields.put("group", group);
        fields.put("kind", e.kind().name());
        fields.put("error", e.getMessage());
        streams.xadd(Streams.DEAD_LETTER, new XAddArgs().maxlen(settings.deadLetterMaxLength()).nearlyExactTrimming(), fields);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(settings.block().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
