package io.keisei.resource.service;

import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.cluster.PoolNodes;
import io.keisei.resource.config.ResourceConfig;
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

    public PoolPlanning(AllocationRepository allocations, QuotaPolicy quotas, PoolNodes nodes, ResourceConfig config) {
        this.allocations = allocations;
        this.quotas = quotas;
        this.nodes = nodes;
        this.planner = new QueuePlanner(config.queue().ageingStep());
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
        return planner.plan(pool, nodes.of(pool.name()), live, now, quotas.forPass(c, pool.name(), live, forGrants));
    }
}
