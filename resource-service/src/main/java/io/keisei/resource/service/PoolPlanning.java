package io.keisei.resource.service;

import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.cluster.PoolNodes;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.kueue.KueuePlanner;
import io.keisei.resource.kueue.KueueWorkloads;
import io.keisei.resource.persistence.AllocationRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Plans a pool's queue from the database: its live allocations and the quota counts of their
 * owners. Admission uses it (holding the pool lock) to decide; reads use it to show current
 * positions and reasons.
 */
@ApplicationScoped
public class PoolPlanning {

    private final AllocationRepository allocations;
    private final QuotaPolicy quotas;
    private final PoolNodes nodes;
    private final QueuePlanner planner;
    private final KueueWorkloads kueue;
    /** Under Kueue admission: its planner; null when resource-service admits by itself. */
    private final KueuePlanner kueuePlanner;

    public PoolPlanning(AllocationRepository allocations, QuotaPolicy quotas, PoolNodes nodes, KueueWorkloads kueue,
                        ResourceConfig config) {
        this.allocations = allocations;
        this.quotas = quotas;
        this.nodes = nodes;
        this.kueue = kueue;
        this.planner = new QueuePlanner(config.queue().ageingStep());
        this.kueuePlanner = kueue.enabled() ? new KueuePlanner(planner) : null;
    }

    /** The pool's nodes in a cluster (a grant fits on one of them); empty on the local host. */
    public List<io.keisei.resource.ClusterNode> nodesOf(Pool pool) {
        return nodes.of(pool.name());
    }

    /** Kueue admits (a plan's grants are then the requests to hand to Kueue); else our own queue passes grant. */
    public boolean kueueAdmits() {
        return kueuePlanner != null;
    }

    /**
     * @param forGrants true when the caller holds the pool lock and will apply the grants: the
     *                  owners concerned are locked too (QuotaPolicy#forPass)
     */
    public QueuePlan plan(Connection c, Pool pool, Instant now, boolean forGrants) throws SQLException {
        return plan(c, pool, allocations.live(c, pool.name()), now, forGrants);
    }

    public QueuePlan plan(Connection c, Pool pool, List<AllocationRecord> live, Instant now, boolean forGrants)
            throws SQLException {
        if (kueuePlanner != null) {
            return kueuePlanner.plan(pool, live, now, quotas.forPass(c, pool.name(), live, forGrants), kueue.view());
        }
        return planner.plan(pool, nodes.of(pool.name()), live, now, quotas.forPass(c, pool.name(), live, forGrants));
    }
}
