package io.keisei.resource.kueue;

import io.keisei.resource.service.AllocationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Applies Kueue's decisions to our allocations: an admitted Workload grants its allocation (allocation.granted), an
 * evicted one preempts it (allocation.preempted: its session pauses, as for our own preemption). A pending one needs
 * nothing written: reads take its place and Kueue's message from {@link KueueWorkloads#view()}. Every step is
 * idempotent under the pool lock, so several replicas, and an informer's re-delivery, apply each decision once.
 */
@ApplicationScoped
public class KueueAdmissionSync {

    private static final Logger LOG = Logger.getLogger(KueueAdmissionSync.class);

    private final AllocationService allocations;

    public KueueAdmissionSync(AllocationService allocations) {
        this.allocations = allocations;
    }

    void onChange(@Observes WorkloadChanged change) {
        WorkloadStatus w = change.workload();
        try {
            switch (w.phase()) {
                case ADMITTED -> allocations.admittedByKueue(w.allocationId(), w.clusterQueue());
                case EVICTED -> allocations.evictedByKueue(w.allocationId(),
                        "evicted by Kueue" + KueueQueueView.detail(w));
                case PENDING, FINISHED -> {
                    // pending: shown on read; finished: the session's end releases the allocation
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("allocation %s: could not apply Kueue's %s of Workload %s: %s", w.allocationId(),
                    w.phase().name().toLowerCase(java.util.Locale.ROOT), w.name(), e.getMessage());
        }
    }
}
