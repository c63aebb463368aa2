package io.keisei.common.stream;

import io.keisei.contracts.Streams;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XPendingSummary;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches how far this service's consumer groups are behind on their streams, so that trimming (XADD MAXLEN ~)
 * never drops entries a group has not read without warning first. Every {@code keisei.streams.lag.interval}
 * (5 s) it measures each watched (stream, group) with a few commands that never scan the stream: XINFO GROUPS,
 * and where the server reports no {@code lag} (Redis 6.2) XLEN, the first and last ids and the XPENDING summary
 * ({@link GroupLag} says how the lag is estimated from them).
 *
 * <p>Publishes the gauges {@value #LAG_METRIC} (entries) and {@value #HEADROOM_METRIC} (lag / max length) tagged
 * {@code stream} and {@code group}, logs one warning when a group's lag passes {@code keisei.streams.lag.warn-fraction}
 * (half) of the stream's max length and one line when it is back below, and answers the "stream-lag" wellness
 * check of each consuming service ({@link StreamLagHealth}).
 */
@Singleton
public class GroupLagMonitor implements AutoCloseable {

    public static final String LAG_METRIC = "keisei.stream.group.lag";
    public static final String HEADROOM_METRIC = "keisei.stream.group.headroom.used";

    private static final Logger LOG = Logger.getLogger(GroupLagMonitor.class);

    private final RedisDataSource redis;
    private final StreamCommands<String, String, String> streams;
    private final MeterRegistry registry;
    private final Streams.MaxLengths maxLengths;
    private final Duration interval;
    private final double warnFraction;
    private final List<Watched> watched = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;

    @Inject
    public GroupLagMonitor(RedisDataSource redis, MeterRegistry registry, StreamsConfig config) {
        this(redis, registry, StreamsConfig.maxLengthsOf(config), config.lag().interval(), config.lag().warnFraction());
    }

    /**
     * @param interval     how often the watched groups are measured (zero: only when {@link #check} is called)
     * @param warnFraction the share of a stream's max length beyond which a group's lag is reported
     */
    public GroupLagMonitor(RedisDataSource redis, MeterRegistry registry, Streams.MaxLengths maxLengths, Duration interval,
                           double warnFraction) {
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, String.class);
        this.registry = registry;
        this.maxLengths = maxLengths;
        this.interval = interval;
        this.warnFraction = warnFraction;
    }

    /** Watches a group on a protocol stream, against the stream's configured max length. */
    public void watch(String stream, String group) {
        watch(stream, group, maxLengths.of(stream));
    }

    /** Watches a group on a stream trimmed to about {@code maxLength} entries; starts the timer on the first call. */
    public synchronized void watch(String stream, String group, long maxLength) {
        if (watched.stream().anyMatch(w -> w.stream.equals(stream) && w.group.equals(group))) {
            return;
        }
        Watched w = new Watched(stream, group, maxLength);
        Gauge.builder(LAG_METRIC, w, x -> x.latest == null ? Double.NaN : x.latest.lag())
                .tag("stream", stream).tag("group", group).baseUnit("entries")
                .description("entries of the stream the consumer group has not processed yet (not delivered, or pending)")
                .register(registry);
        Gauge.builder(HEADROOM_METRIC, w, x -> x.latest == null ? Double.NaN : x.latest.headroomUsed())
                .tag("stream", stream).tag("group", group)
                .description("the group's lag as a share of the stream's max length: at 1 trimming drops entries it has not read")
                .register(registry);
        watched.add(w);
        if (timer == null && !interval.isZero() && !interval.isNegative()) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "stream-lag");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public double warnFraction() {
        return warnFraction;
    }

    /** The latest measurement of every watched group measured so far. */
    public List<GroupLag> latest() {
        List<GroupLag> out = new ArrayList<>();
        for (Watched w : watched) {
            if (w.latest != null) {
                out.add(w.latest);
            }
        }
        return out;
    }

    /** Measures every watched group now (the timer does this every interval); returns {@link #latest()}. */
    public synchronized List<GroupLag> check() {
        for (Watched w : watched) {
            try {
                Optional<GroupLag> lag = measure(w.stream, w.group, w.maxLength);
                if (lag.isPresent()) {
                    record(w, lag.get());
                }
                w.failing = false;
            } catch (RuntimeException e) {
                if (!w.failing) {
                    LOG.debugf("cannot measure the lag of group %s on %s: %s", w.group, w.stream, e.getMessage());
                    w.failing = true;
                }
            }
        }
        return latest();
    }

    private void record(Watched w, GroupLag lag) {
        w.latest = lag;
        boolean beyond = lag.beyond(warnFraction);
        if (beyond && !w.warning) {
            LOG.warnf("consumer group %s is %d entries behind on %s%s: %s of the stream's max length %d; at 100%% "
                            + "trimming drops entries it has not read. Find why it is slow or stopped, or raise %s",
                    lag.group(), lag.lag(), lag.stream(), lag.estimated() ? " (estimated)" : "", percent(lag.headroomUsed()),
                    lag.maxLength(), setting(lag.stream()));
        } else if (!beyond && w.warning) {
            LOG.infof("consumer group %s is back to %d entries behind on %s (%s of the stream's max length %d)",
                    lag.group(), lag.lag(), lag.stream(), percent(lag.headroomUsed()), lag.maxLength());
        }
        w.warning = beyond;
    }

    /**
     * One group's lag now; empty when the group does not exist (yet). A stream that does not exist has no lag.
     */
    public Optional<GroupLag> measure(String stream, String group, long maxLength) {
        Instant now = Instant.now();
        Response groups;
        try {
            groups = redis.execute("XINFO", "GROUPS", stream);
        } catch (RuntimeException e) {
            if (mentions(e, "no such key")) {
                return Optional.of(new GroupLag(stream, group, 0, 0, maxLength, false, now));
            }
            throw e;
        }
        Map<String, Response> info = null;
        for (int i = 0; groups != null && i < groups.size(); i++) {
            Map<String, Response> g = fields(groups.get(i));
            if (group.equals(text(g.get("name")))) {
                info = g;
                break;
            }
        }
        if (info == null) {
            return Optional.empty();
        }
        long pending = number(info.get("pending"));
        Response reportedLag = info.get("lag");
        if (reportedLag != null && text(reportedLag) != null && !text(reportedLag).isBlank()) {
            // Redis 7+: entries not yet delivered to the group; pending ones still have to be processed too.
            return Optional.of(new GroupLag(stream, group, reportedLag.toLong() + pending, pending, maxLength, false, now));
        }
        Id lastDelivered = Id.parse(text(info.get("last-delivered-id")));
        long length = streams.xlen(stream);
        if (length == 0) {
            return Optional.of(new GroupLag(stream, group, pending, pending, maxLength, true, now));
        }
        Id first = edge(stream, "XRANGE", "-", "+");
        Id last = edge(stream, "XREVRANGE", "+", "-");
        Id cursor = lastDelivered;
        if (pending > 0) {
            XPendingSummary summary = streams.xpending(stream, group);
            if (summary != null && summary.getLowestId() != null) {
                Id oldest = Id.parse(summary.getLowestId());
                if (oldest.compareTo(cursor) < 0) {
                    cursor = oldest;
                }
            }
        }
        return Optional.of(new GroupLag(stream, group, estimate(length, first, last, cursor, lastDelivered, pending),
                pending, maxLength, true, now));
    }

    /**
     * Entries from {@code cursor} to the end of a stream of {@code length} entries between {@code first} and
     * {@code last}, interpolated over the ids' millisecond times (over their sequence numbers when all share one
     * millisecond); at least the pending entries and, when something was added after the last delivered entry, one.
     */
    static long estimate(long length, Id first, Id last, Id cursor, Id lastDelivered, long pending) {
        long estimate;
        if (first == null || last == null || cursor.compareTo(last) >= 0) {
            estimate = 0;
        } else if (cursor.compareTo(first) < 0) {
            estimate = length;
        } else {
            double span;
            double behind;
            if (last.ms > first.ms) {
                span = last.ms - first.ms;
                behind = last.ms - cursor.ms;
            } else {
                span = last.seq - first.seq;
                behind = last.seq - cursor.seq;
            }
            estimate = span <= 0 ? length : Math.round(length * behind / span);
        }
        long atLeast = pending + (last != null && lastDelivered.compareTo(last) < 0 ? 1 : 0);
        return Math.max(atLeast, Math.min(estimate, Math.max(length, atLeast)));
    }

    private Id edge(String stream, String command, String from, String to) {
        Response r = redis.execute(command, stream, from, to, "COUNT", "1");
        if (r == null || r.size() == 0) {
            return null;
        }
        return Id.parse(r.get(0).get(0).toString());
    }

    /** The fields of an XINFO reply: a map (RESP3) or a flat list of names and values (RESP2). */
    static Map<String, Response> fields(Response r) {
        Map<String, Response> m = new HashMap<>();
        if (r == null) {
            return m;
        }
        try {
            for (String k : r.getKeys()) {
                m.put(k, r.get(k));
            }
        } catch (RuntimeException notAMap) {
            m.clear();
        }
        if (m.isEmpty()) {
            for (int i = 0; i + 1 < r.size(); i += 2) {
                m.put(r.get(i).toString(), r.get(i + 1));
            }
        }
        return m;
    }

    private static String text(Response r) {
        return r == null ? null : r.toString();
    }

    private static long number(Response r) {
        return r == null ? 0 : r.toLong();
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(text)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** The setting that raises a stream's max length, for messages. */
    static String setting(String stream) {
        try {
            return Streams.Limit.of(stream).environmentVariable();
        } catch (IllegalArgumentException e) {
            return "the stream's max length";
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** A stream entry id: milliseconds and sequence number. */
    record Id(long ms, long seq) implements Comparable<Id> {
        static final Id ZERO = new Id(0, 0);

        static Id parse(String id) {
            if (id == null || id.isBlank()) {
                return ZERO;
            }
            int dash = id.indexOf('-');
            return dash < 0 ? new Id(Long.parseLong(id.trim()), 0)
                    : new Id(Long.parseLong(id.substring(0, dash).trim()), Long.parseLong(id.substring(dash + 1).trim()));
        }

        @Override
        public int compareTo(Id o) {
            int c = Long.compare(ms, o.ms);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final class Watched {
        final String stream;
        final String group;
        final long maxLength;
        volatile GroupLag latest;
        volatile boolean warning;
        volatile boolean failing;

        Watched(String stream, String group, long maxLength) {
            this.stream = stream;
            this.group = group;
            this.maxLength = maxLength;
        }
    }
}
