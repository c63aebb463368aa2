package io.keisei.resource.stream;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.outbox.Outbox;
import io.keisei.common.outbox.OutboxConfig;
import io.keisei.common.outbox.OutboxRelay;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.resource.AllocationChange;
import io.keisei.resource.config.ResourceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Announces allocation changes on keisei:events (allocation.granted / queued / released / preempted)
 * through the transactional outbox {@code resource.outbox}: {@link #stage} writes the events inside
 * the transaction that makes the changes (so they exist exactly when the changes were committed),
 * {@link #afterCommit} has the relay send them at once on its own thread, and the relay's timer sends whatever a crash, a restart or
 * a Redis outage left behind (at least once, in commit order per pool).
 */
@ApplicationScoped
public class AllocationEventPublisher {

    public static final String SOURCE = "resource-service";
    public static final String OUTBOX_TABLE = "resource.outbox";

    private final Outbox outbox = new Outbox(OUTBOX_TABLE);
    private final OutboxRelay relay;
    private final long eventsMaxLength;

    public AllocationEventPublisher(StreamPublisher publisher, AgroalDataSource dataSource, ResourceConfig config,
                                    MeterRegistry registry) {
        this.relay = new OutboxRelay(outbox, dataSource, publisher::publishEncoded, OutboxConfig.settingsOf(config.outbox()));
        this.eventsMaxLength = publisher.maxLength(Streams.EVENTS);
        relay.bindTo(registry);
    }

    /** Writes the events of {@code changes}, in order, into the outbox on the transaction of {@code c}. */
    public void stage(Connection c, List<AllocationChange> changes) throws SQLException {
        for (AllocationChange change : changes) {
            Allocation a = change.allocation();
            outbox.append(c, Streams.EVENTS, LifecycleEvent.allocation(change.type(), a.session(), SOURCE, AllocationInfo.of(a)),
                    eventsMaxLength);
        }
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
