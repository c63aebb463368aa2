package io.keisei.resource.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.PoolUsage;
import io.keisei.resource.Pool;
import io.keisei.resource.PoolUsages;
import io.keisei.resource.cluster.PoolNodes;
import io.keisei.resource.persistence.AllocationRepository;
import io.keisei.resource.persistence.PoolRepository;
import io.keisei.resource.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Pools with their capacity, use and free resources, each read in one snapshot. */
@ApplicationScoped
public class PoolQueries {

    private final Transactions tx;
    private final PoolRepository pools;
    private final AllocationRepository allocations;
    private final PoolNodes nodes;

    public PoolQueries(Transactions tx, PoolRepository pools, AllocationRepository allocations, PoolNodes nodes) {
        this.tx = tx;
        this.pools = pools;
        this.allocations = allocations;
        this.nodes = nodes;
    }

    public List<PoolUsage> all() throws SQLException {
        return tx.inSnapshot(c -> {
            List<PoolUsage> out = new ArrayList<>();
            for (Pool p : pools.all(c)) {
                out.add(PoolUsages.of(p, allocations.live(c, p.name()), nodes.of(p.name())));
            }
            return out;
        });
    }

    public PoolUsage get(String name) throws SQLException {
        return tx.inSnapshot(c -> {
            Pool p = pools.find(c, name).orElseThrow(() -> ProblemException.notFound("pool", name));
            return PoolUsages.of(p, allocations.live(c, p.name()), nodes.of(p.name()));
        });
    }
}
