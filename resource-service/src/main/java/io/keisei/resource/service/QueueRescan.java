package io.keisei.resource.service;

import io.keisei.resource.persistence.PoolRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A periodic queue pass over every pool: a safety net beside the passes made on each request and
 * release (e.g. after a pool's capacity changed). Off with keisei.resources.queue.rescan-interval=off.
 */
@ApplicationScoped
public class QueueRescan {

    private static final Logger LOG = Logger.getLogger(QueueRescan.class);

    private final PoolRepository pools;
    private final AllocationService allocations;

    public QueueRescan(PoolRepository pools, AllocationService allocations) {
        this.pools = pools;
        this.allocations = allocations;
    }

    @Scheduled(identity = "queue-rescan", every = "${keisei.resources.queue.rescan-interval:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rescan() {
        try {
            for (String pool : pools.names()) {
                int started = allocations.reschedule(pool).size();
                if (started > 0) {
                    LOG.infof("queue rescan of pool '%s' started %d queued allocation(s)", pool, started);
                }
            }
        } catch (Exception e) {
            LOG.warnf("queue rescan failed: %s", e.getMessage());
        }
    }
}
