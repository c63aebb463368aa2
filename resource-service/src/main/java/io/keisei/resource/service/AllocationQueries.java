package io.keisei.resource.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.persistence.AllocationRepository;
import io.keisei.resource.persistence.PoolRepository;
import io.keisei.resource.persistence.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads allocations. A queued allocation's position and reason are computed on read, by planning
 * its pool's queue as it stands (in one snapshot), so they are always current.
 */
@ApplicationScoped
public class AllocationQueries {

    private static final Comparator<Allocation> ORDER = Comparator
            .comparingInt((Allocation a) -> switch (a.state()) {
                case GRANTED -> 0;
                case QUEUED -> 1;
                case RELEASED -> 2;
            })
            .thenComparing(a -> a.state() == AllocationState.GRANTED ? a.grantedAt() : Instant.EPOCH)
            .thenComparing(a -> a.state() == AllocationState.QUEUED ? a.pool() : "")
            .thenComparingInt(a -> a.queuePosition() == null ? 0 : a.queuePosition());

    private final Transactions tx;
    private final PoolRepository pools;
    private final AllocationRepository allocations;
    private final PoolPlanning planning;

    public AllocationQueries(Transactions tx, PoolRepository pools, AllocationRepository allocations,
                             PoolPlanning planning) {
        this.tx = tx;
        this.pools = pools;
        this.allocations = allocations;
        this.planning = planning;
    }

    public Allocation get(String id) throws SQLException {
        if (!AllocationService.isUuid(id)) {
            throw ProblemException.notFound("allocation", id);
        }
        return tx.inSnapshot(c -> {
            AllocationRecord a = allocations.find(c, id).orElseThrow(() -> ProblemException.notFound("allocation", id));
            return withQueueState(c, List.of(a), allocations.now(c)).get(0);
        });
    }

    /**
     * Allocations in the given states: granted ones first (oldest grant first), then queued ones by
     * pool and queue position, then released ones (newest first).
     */
    public List<Allocation> list(Set<AllocationState> states, String session, String pool, int limit) throws SQLException {
        return tx.inSnapshot(c -> {
            List<Allocation> out = withQueueState(c, allocations.list(c, states, session, pool, limit), allocations.now(c));
            out.sort(ORDER); // stable: released ones keep the repository's newest-first order
            return out;
        });
    }

    private List<Allocation> withQueueState(Connection c, List<AllocationRecord> records, Instant now) throws SQLException {
        Map<String, QueuePlan> plans = new HashMap<>();
        List<Allocation> out = new ArrayList<>(records.size());
        for (AllocationRecord a : records) {
            if (a.state() != AllocationState.QUEUED) {
                // A released one says why it ended; a granted one why it is being preempted, if it is.
                out.add(a.toContract(null, a.state() == AllocationState.RELEASED || a.preempting() ? a.reason() : null));
                continue;
            }
            QueuePlan plan = plans.get(a.pool());
            if (plan == null) {
                Pool pool = pools.find(c, a.pool()).orElseThrow();
                plan = planning.plan(c, pool, now, false);
                plans.put(a.pool(), plan);
            }
            out.add(plan.waiting(a.id())
                    .map(w -> a.toContract(w.position(), a.requeued() ? a.reason() + "; " + w.reason() : w.reason()))
                    // Fits now but no pass has run since it became possible (e.g. the pool grew).
                    .orElseGet(() -> a.toContract(1, "fits now; starts on the next queue pass")));
        }
        return out;
    }
}
