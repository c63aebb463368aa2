package io.keisei.resource.stream;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Appends system samples to keisei:system, trimmed to about {@code keisei.streams.system.max-length} entries
 * (default {@link Streams#SYSTEM_MAXLEN}: an hour at 1 Hz). A sample that cannot be written is dropped: the next
 * one supersedes it. An outage is logged once, and its end once.
 */
@ApplicationScoped
public class SystemStatusPublisher {

    private static final Logger LOG = Logger.getLogger(SystemStatusPublisher.class);

    private final StreamPublisher publisher;
    private boolean failing;

    public SystemStatusPublisher(StreamPublisher publisher) {
        this.publisher = publisher;
    }

    public synchronized void publish(SystemStatus status) {
        try {
            publisher.publish(Streams.SYSTEM, status);
            if (failing) {
                LOG.info("system status is published on " + Streams.SYSTEM + " again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("cannot publish system status on %s (samples are dropped until Redis answers): %s",
                        Streams.SYSTEM, e.getMessage());
                failing = true;
            }
        }
    }
}
