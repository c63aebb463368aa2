package io.keisei.training.stream;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.outbox.Outbox;
import io.keisei.common.outbox.OutboxConfig;
import io.keisei.common.outbox.OutboxRelay;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.training.config.TrainingServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.Session;

/**
 * Announces session lifecycle events on keisei:events through the transactional outbox
 * {@code training.outbox}: {@link #stage} writes an event on the connection of the current
 * transaction (the one that moves the session, under its row lock), {@link #afterCommit} has the relay
 * send it at once on its own thread, and the relay's timer sends whatever a crash, a restart or a Redis outage left behind
 * (at least once, in commit order per session).
 */
@ApplicationScoped
public class LifecycleEventPublisher {

    public static final String OUTBOX_TABLE = "training.outbox";

    private final Outbox outbox = new Outbox(OUTBOX_TABLE);
    private final OutboxRelay relay;
    private final long eventsMaxLength;

    public LifecycleEventPublisher(StreamPublisher publisher, AgroalDataSource dataSource, TrainingServiceConfig config,
                                   MeterRegistry registry) {
        this.relay = new OutboxRelay(outbox, dataSource, publisher::publishEncoded, OutboxConfig.settingsOf(config.outbox()));
        this.eventsMaxLength = publisher.maxLength(Streams.EVENTS);
        relay.bindTo(registry);
    }

    /** Writes {@code event} into the outbox in the current transaction (which must be active). */
    public void stage(LifecycleEvent event) {
        Panache.getEntityManager().unwrap(Session.class)
                .doWork(c -> outbox.append(c, Streams.EVENTS, event, eventsMaxLength));
    }

    /** Asks the relay to send what was just committed and returns (never throws: on failure the relay's timer retries). */
    public void afterCommit() {
        relay.afterCommit();
    }

    public OutboxRelay relay() {
        return relay;
    }

    void onStart(@Observes StartupEvent ev) {
        relay.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        relay.close();
    }
}
