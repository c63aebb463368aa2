package io.keisei.trainer.run;

import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.MessageFormatException;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The trainer's side of the stream protocol: connects with bounded retries, sends through an
 * {@link OutboundBuffer} on a background thread (surviving Redis outages), keeps the heartbeat
 * key alive and delivers control commands.
 */
public final class StreamLink implements AutoCloseable {

    private final JedisPooled redis;
    private final OutboundBuffer buffer;
    private final String session;
    private final Duration heartbeatTtl;
    private final Streams.MaxLengths maxLengths;
    private volatile boolean running = true;
    private volatile boolean connected = true;
    private final Thread sender;
    private Thread heartbeat;
    private Thread control;

    private StreamLink(JedisPooled redis, String session, int bufferCapacity, Duration heartbeatTtl,
                       Streams.MaxLengths maxLengths) {
        this.redis = redis;
        this.session = session;
        this.maxLengths = maxLengths;
        this.buffer = new OutboundBuffer(bufferCapacity);
        this.heartbeatTtl = heartbeatTtl;
        this.sender = new Thread(this::sendLoop, "stream-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /**
     * Connects, retrying with exponential backoff for at most {@code retryWindow}.
     *
     * @throws IllegalStateException with a one-line reason when Redis stays unreachable
     */
    public static StreamLink connect(String url, String session, Duration retryWindow, int bufferCapacity,
                                     Duration heartbeatTtl) {
        return connect(url, session, retryWindow, bufferCapacity, heartbeatTtl, Streams.MaxLengths.defaults());
    }

    /**
     * Connects as {@link #connect(String, String, Duration, int, Duration)}, trimming each stream to
     * {@code maxLengths} (the KEISEI_STREAMS_*_MAX_LENGTH variables, {@link Streams.MaxLengths#fromEnvironment}).
     */
    public static StreamLink connect(String url, String session, Duration retryWindow, int bufferCapacity,
                                     Duration heartbeatTtl, Streams.MaxLengths maxLengths) {
        long deadline = System.nanoTime() + retryWindow.toNanos();
        long backoff = 100;
        RuntimeException last;
        while (true) {
            JedisPooled redis = new JedisPooled(URI.create(url), 5000);
            try {
                redis.ping();
                return new StreamLink(redis, session, bufferCapacity, heartbeatTtl, maxLengths);
            } catch (RuntimeException e) {
                last = e;
                redis.close();
            }
            if (System.nanoTime() + backoff * 1_000_000 > deadline) {
                throw new IllegalStateException("Redis at " + redact(url) + " unreachable for "
                        + retryWindow.toSeconds() + "s: " + last.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while connecting to Redis");
            }
            backoff = Math.min(backoff * 2, 5000);
        }
    }

    /**
     * Queues a message for {@code stream}, trimmed (XADD MAXLEN ~) to the stream's max length; never blocks on Redis.
     */
    public void publish(String stream, StreamMessage message) {
        publish(stream, message, maxLengths.of(stream));
    }

    /** Queues a message trimmed to about {@code maxLen} entries; never blocks on Redis. */
    public void publish(String stream, StreamMessage message, long maxLen) {
        buffer.offer(new OutboundBuffer.Entry(stream, StreamCodec.toEntry(message), maxLen));
    }

    private void sendLoop() {
        long backoff = 100;
        while (running || buffer.size() > 0) {
            try {
                OutboundBuffer.Entry e = buffer.peek(200);
                if (e == null) {
                    continue;
                }
                redis.xadd(e.stream(), XAddParams.xAddParams().maxLen(e.maxLen()).approximateTrimming(), e.fields());
                buffer.remove(e);
                connected = true;
                backoff = 100;
            } catch (InterruptedException ie) {
                return;
            } catch (RuntimeException ex) {
                connected = false;
                if (!running) {
                    return;
                }
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, 2000);
            }
        }
    }

    /** Refreshes the heartbeat key every third of its TTL. */
    public void startHeartbeat() {
        heartbeat = new Thread(() -> {
            long period = Math.max(200, heartbeatTtl.toMillis() / 3);
            while (running) {
                try {
                    redis.setex(Streams.heartbeat(session), Math.max(1, heartbeatTtl.toSeconds()),
                            String.valueOf(ProcessHandle.current().pid()));
                } catch (RuntimeException e) {
                    // Redis down: the key expires and the supervisor decides; training goes on meanwhile.
                }
                sleepQuietly(period);
            }
        }, "heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** The id of the newest entry of this session's control stream, or "0-0" when it has none. */
    public String currentControlCursor() {
        List<StreamEntry> last = redis.xrevrange(Streams.control(session), "+", "-", 1);
        return last.isEmpty() ? "0-0" : last.get(0).getID().toString();
    }

    /** Delivers this session's control commands after {@code cursor} to {@code handler}, on a thread. */
    public void listenForControl(String cursor, Consumer<ControlCommand> handler) {
        control = new Thread(() -> {
            StreamEntryID from = new StreamEntryID(cursor);
            String stream = Streams.control(session);
            while (running) {
                try {
                    List<Map.Entry<String, List<StreamEntry>>> batches = redis.xread(
                            XReadParams.xReadParams().block(1000).count(16), Map.of(stream, from));
                    if (batches == null) {
                        continue;
                    }
                    for (Map.Entry<String, List<StreamEntry>> batch : batches) {
                        for (StreamEntry entry : batch.getValue()) {
                            from = entry.getID();
                            try {
                                handler.accept(StreamCodec.fromEntry(entry.getFields(), ControlCommand.class));
                            } catch (MessageFormatException e) {
                                System.err.println("ignoring malformed control command " + entry.getID() + ": " + e.getMessage());
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    if (running) {
                        sleepQuietly(500);
                    }
                }
            }
        }, "control-listener");
        control.setDaemon(true);
        control.start();
    }

    public boolean connected() {
        return connected;
    }

    public long dropped() {
        return buffer.dropped();
    }

    public int pending() {
        return buffer.size();
    }

    /** Sends what is still queued (up to {@code flushTimeout}), removes the heartbeat if it kept one, disconnects. */
    public void close(Duration flushTimeout) {
        try {
            buffer.awaitEmpty(flushTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
        if (heartbeat != null) {
            // only a link that keeps the heartbeat removes it: a match publishing into a session must not
            try {
                redis.del(Streams.heartbeat(session));
            } catch (RuntimeException e) {
                // it expires on its own
            }
        }
        sender.interrupt();
        redis.close();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String redact(String url) {
        return url.replaceAll("://[^@/]*@", "://***@");
    }
}
