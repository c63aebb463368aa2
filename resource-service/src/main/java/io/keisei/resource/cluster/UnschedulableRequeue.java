package io.keisei.resource.cluster;

import io.keisei.resource.service.AllocationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * The race of cluster mode: between a grant and its trainer's Job, someone else's pod took the node's space, so the
 * trainer's pod cannot be scheduled. Its allocation goes back to the queue at its old place, saying why; the planner
 * (which now counts that other pod) places it again where it fits, and training-service restarts its attempt.
 */
@ApplicationScoped
public class UnschedulableRequeue {

    private static final Logger LOG = Logger.getLogger(UnschedulableRequeue.class);

    private final AllocationService allocations;

    public UnschedulableRequeue(AllocationService allocations) {
        this.allocations = allocations;
    }

    void onStuck(@Observes TrainerUnschedulable stuck) {
        String why = "the trainer pod could not be scheduled" + (stuck.node() == null ? "" : " on " + stuck.node())
                + (stuck.message() == null ? "" : " (" + stuck.message() + ")");
        try {
            allocations.requeue(stuck.allocationId(), why);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not queue allocation %s again: %s", stuck.allocationId(), e.getMessage());
        }
    }
}
