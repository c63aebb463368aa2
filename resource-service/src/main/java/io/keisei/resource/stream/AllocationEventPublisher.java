package io.keisei.resource.stream;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.resource.AllocationChange;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * Announces committed allocation changes on keisei:events (allocation.granted / queued / released).
 * Called after the commit: the database is the truth, so a Redis failure is logged and the change
 * stays valid (readers can always GET the allocation).
 */
@ApplicationScoped
public class AllocationEventPublisher {

    public static final String SOURCE = "resource-service";

    private static final Logger LOG = Logger.getLogger(AllocationEventPublisher.class);

    private final StreamPublisher publisher;

    public AllocationEventPublisher(StreamPublisher publisher) {
        this.publisher = publisher;
    }

    public void publish(List<AllocationChange> changes) {
        for (AllocationChange change : changes) {
            Allocation a = change.allocation();
            try {
                publisher.publish(Streams.EVENTS, LifecycleEvent.allocation(change.type(), a.session(), SOURCE, AllocationInfo.of(a)),
                        Streams.EVENTS_MAXLEN);
            } catch (RuntimeException e) {
                LOG.warnf("could not publish %s of allocation %s (session %s): %s", change.type().wire(), a.id(),
                        a.session(), e.getMessage());
            }
        }
    }

}
