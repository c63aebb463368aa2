package io.keisei.gateway.cache;

import io.keisei.contracts.Channels;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica's one Redis pub/sub subscription, to every channel between gateway replicas (the response
 * cache's invalidations and token revocations, named in {@link Channels}). Each message becomes a CDI
 * {@link Message} event. A subscription that ends (Redis restarted or unreachable, the connection dropped) is
 * made again at once and then every second until it holds. Messages published meanwhile are gone, so the loss
 * and every new subscription (the first included) are each a {@link Resync} event: listeners drop whatever
 * such a message could have made stale. Observers run on a Vert.x event loop or this class's thread and must
 * not block. A connection that dies without Redis or the network telling the client goes unnoticed here:
 * listeners keep their TTLs as the bound for that case.
 */
@ApplicationScoped
public class Invalidations {

    /** A message on one of the channels. */
    public record Message(String channel, String payload) {
    }

    /** Messages may have been missed: the subscription was lost, or (again) holds from now on. */
    public record Resync(String why) {
    }

    private static final Logger LOG = Logger.getLogger(Invalidations.class);
    static final List<String> CHANNELS = List.of(Channels.GATEWAY_CACHE_INVALIDATE, Channels.GATEWAY_TOKEN_REVOKED);
    private static final long RETRY_MS = 1000;

    private final PubSubCommands<String> pubsub;
    private final Event<Message> messages;
    private final Event<Resync> resyncs;
    private final ScheduledExecutorService subscriber = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "invalidation-subscriber");
        t.setDaemon(true);
        return t;
    });
    /** The attempt whose subscription is live (or being made); its end callbacks act only while it is. */
    private final AtomicReference<Object> live = new AtomicReference<>();
    private final AtomicLong subscriptions = new AtomicLong();
    /** Set on the subscriber thread only. */
    private volatile PubSubCommands.RedisSubscriber current;
    private volatile boolean down;
    private volatile boolean stopped;

    public Invalidations(RedisDataSource redis, Event<Message> messages, Event<Resync> resyncs) {
        this.pubsub = redis.pubsub(String.class);
        this.messages = messages;
        this.resyncs = resyncs;
    }

    void start(@Observes StartupEvent ignored) {
        subscriber.execute(this::subscribe);
    }

    /** The subscription's connection closes with the Redis client; waiting on Redis here could only delay the stop. */
    void stop(@Observes ShutdownEvent ignored) {
        stopped = true;
        subscriber.shutdownNow();
    }

    /**
     * Publishes {@code payload} on {@code channel} (one of {@link Channels}); false when Redis did not take it, in
     * which case the other replicas learn nothing and rely on their TTLs.
     */
    public boolean publish(String channel, String payload) {
        try {
            pubsub.publish(channel, payload);
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("publishing on %s failed: %s", channel, e.getMessage());
            return false;
        }
    }

    /** Whether the subscription holds now (as far as this client knows). */
    public boolean subscribed() {
        return live.get() != null && current != null && !down;
    }

    /** How many times the channels were subscribed since start (1 unless the subscription was lost). */
    public long subscriptions() {
        return subscriptions.get();
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        closeCurrent();
        Object attempt = new Object();
        live.set(attempt);
        PubSubCommands.RedisSubscriber s;
        try {
            s = pubsub.subscribe(CHANNELS, (channel, payload) -> messages.fire(new Message(channel, payload)),
                    () -> lost(attempt, "the connection ended"), e -> lost(attempt, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            live.compareAndSet(attempt, null);
            if (!down) {
                down = true;
                LOG.warnf("cache and token invalidation channels unavailable (%s): retrying every second; until then "
                        + "this replica relies on TTLs", e.getMessage());
            }
            retryLater();
            return;
        }
        current = s;
        if (live.get() != attempt) {
            return; // ended while it was being made: lost() has already asked for another
        }
        subscriptions.incrementAndGet();
        if (down) {
            down = false;
            LOG.info("cache and token invalidation channels subscribed again");
        }
        resyncs.fire(new Resync("subscribed"));
    }

    private void lost(Object attempt, String why) {
        if (stopped || !live.compareAndSet(attempt, null)) {
            return; // an end after an error, or an old subscription's
        }
        down = true;
        LOG.warnf("cache and token invalidation channels lost (%s): resubscribing; until then this replica relies on TTLs", why);
        resyncs.fire(new Resync("lost"));
        try {
            subscriber.execute(this::subscribe);
        } catch (RuntimeException e) {
            // shutting down
        }
    }

    private void retryLater() {
        try {
            subscriber.schedule(this::subscribe, RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // shutting down
        }
    }

    /** Closes what may be left of the previous subscription's connection (after an error it may still be open). */
    private void closeCurrent() {
        PubSubCommands.RedisSubscriber s = current;
        current = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                // its connection is gone already
            }
        }
    }
}
