package io.keisei.resource.service;

import io.keisei.common.rest.FieldError;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.EventType;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationChange;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.persistence.AllocationRepository;
import io.keisei.resource.persistence.PoolRepository;
import io.keisei.resource.persistence.Transactions;
import io.keisei.resource.stream.AllocationEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Admission: grants, queues and releases allocations. Every change of a pool's allocations runs
 * in one transaction that first locks the pool's row (SELECT ... FOR UPDATE), reads what is granted
 * and queued, applies a {@link QueuePlanner} pass and commits; so any number of replicas and
 * threads never grant more than the pool has, nor one GPU twice. The resulting events are
 * published on keisei:events after the commit.
 */
@ApplicationScoped
public class AllocationService {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** What a transaction decided: its subject and the changes to announce after commit. */
    private record Result(Allocation subject, List<AllocationChange> changes) {
    }

    private final Transactions tx;
    private final PoolRepository pools;
    private final AllocationRepository allocations;
    private final AllocationRequestValidator validator;
    private final AllocationEventPublisher events;
    private final QueuePlanner planner;
    private final ResourceConfig config;

    public AllocationService(Transactions tx, PoolRepository pools, AllocationRepository allocations,
                             AllocationRequestValidator validator, AllocationEventPublisher events, ResourceConfig config) {
        this.tx = tx;
        this.pools = pools;
        this.allocations = allocations;
        this.validator = validator;
        this.events = events;
        this.config = config;
        this.planner = new QueuePlanner(config.queue().ageingStep());
    }

    public QueuePlanner planner() {
        return planner;
    }

    /**
     * Admits a request: granted at once when it fits (and no request ahead in the queue needs what
     * it would take), else queued. 400 for invalid input or an unknown pool, 409 when the session
     * already has a live allocation, 422 when the request is larger than the pool.
     */
    public Allocation request(AllocationRequest request) throws SQLException {
        AllocationRequestValidator.ValidRequest r = validator.validate(request);
        Result result;
        try {
            result = tx.inTransaction(c -> admit(c, r));
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                // Another pool's transaction admitted the same session concurrently.
                throw conflict(tx.inTransaction(c -> allocations.liveForSession(c, r.session())), r.session());
            }
            failIfBusy(e);
            throw e;
        }
        events.publish(result.changes());
        return result.subject();
    }

    private Result admit(Connection c, AllocationRequestValidator.ValidRequest r) throws SQLException {
        allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
        Pool pool = pools.lock(c, r.pool()).orElseThrow(() -> ProblemException.badRequest(
                "pool: unknown pool '" + r.pool() + "'", List.of(new FieldError("pool", "unknown pool '" + r.pool() + "'"))));
        Optional<AllocationRecord> existing = allocations.liveForSession(c, r.session());
        if (existing.isPresent()) {
            throw conflict(existing, r.session());
        }
        List<String> excesses = r.need().excesses(pool.name(), QueuePlanner.capacity(pool));
        if (!excesses.isEmpty()) {
            throw ProblemException.unprocessable("the request can never fit: " + String.join("; ", excesses));
        }
        Instant now = allocations.now(c);
        AllocationRecord created = new AllocationRecord(UUID.randomUUID().toString(), r.session(), r.owner(), r.role(),
                r.priority(), pool.name(), AllocationState.QUEUED, r.need(), List.of(), null, now, null, null, null);
        allocations.insert(c, created);
        List<AllocationChange> changes = new ArrayList<>();
        QueuePlan plan = pass(c, pool, now, changes);
        Optional<QueuePlan.Grant> grant = plan.grant(created.id());
        if (grant.isPresent()) {
            Allocation granted = created.granted(grant.get().gpuIndices(), now).toContract(null, null);
            return new Result(granted, changes);
        }
        QueuePlan.Waiting waiting = plan.waiting(created.id()).orElseThrow();
        allocations.setReason(c, created.id(), waiting.reason());
        Allocation queued = created.toContract(waiting.position(), waiting.reason());
        changes.add(new AllocationChange(EventType.ALLOCATION_QUEUED, queued));
        return new Result(queued, changes);
    }

    /**
     * Releases an allocation (granted or still queued) and starts the queued requests that now fit.
     * Idempotent: releasing a released allocation returns it unchanged. 404 for an unknown id.
     */
    public Allocation release(String id, String reason) throws SQLException {
        if (!isUuid(id)) {
            throw ProblemException.notFound("allocation", id);
        }
        Result result;
        try {
            result = tx.inTransaction(c -> releaseLocked(c, id, reason));
        } catch (SQLException e) {
            failIfBusy(e);
            throw e;
        }
        events.publish(result.changes());
        return result.subject();
    }

    private Result releaseLocked(Connection c, String id, String reason) throws SQLException {
        allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
        String poolName = allocations.poolOf(c, id).orElseThrow(() -> ProblemException.notFound("allocation", id));
        Pool pool = pools.lock(c, poolName).orElseThrow();
        AllocationRecord a = allocations.find(c, id).orElseThrow();
        if (!a.live()) {
            return new Result(a.toContract(null, a.reason()), List.of());
        }
        Instant now = allocations.now(c);
        String why = reason != null && !reason.isBlank() ? reason
                : a.state() == AllocationState.QUEUED ? "cancelled while queued" : "released";
        allocations.markReleased(c, id, why, now);
        Allocation released = a.released(why, now).toContract(null, why);
        List<AllocationChange> changes = new ArrayList<>();
        changes.add(new AllocationChange(EventType.ALLOCATION_RELEASED, released));
        pass(c, pool, now, changes);
        return new Result(released, changes);
    }

    /**
     * Releases the live allocations of a session that were created at or before {@code upTo}
     * (the time of the event that ended the session), so a late event never frees the allocation
     * of a newer attempt. Idempotent; returns what it released.
     */
    public List<Allocation> releaseSession(String session, Instant upTo, String reason) throws SQLException {
        List<AllocationRecord> live = tx.inTransaction(c -> allocations.liveForSessionUpTo(c, session, upTo));
        List<Allocation> out = new ArrayList<>(live.size());
        for (AllocationRecord a : live) {
            out.add(release(a.id(), reason));
        }
        return out;
    }

    /** One queue pass over a pool, outside any request: grants what fits now. */
    public List<Allocation> reschedule(String poolName) throws SQLException {
        List<AllocationChange> changes = tx.inTransaction(c -> {
            allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
            Optional<Pool> pool = pools.lock(c, poolName);
            List<AllocationChange> out = new ArrayList<>();
            if (pool.isPresent()) {
                pass(c, pool.get(), allocations.now(c), out);
            }
            return out;
        });
        events.publish(changes);
        return changes.stream().map(AllocationChange::allocation).toList();
    }

    /** Plans the pool's queue and applies the grants; the caller holds the pool lock. */
    private QueuePlan pass(Connection c, Pool pool, Instant now, List<AllocationChange> changes) throws SQLException {
        QueuePlan plan = planner.plan(pool, allocations.live(c, pool.name()), now);
        for (QueuePlan.Grant g : plan.grants()) {
            allocations.markGranted(c, g.allocation().id(), g.gpuIndices(), now);
            changes.add(new AllocationChange(EventType.ALLOCATION_GRANTED,
                    g.allocation().granted(g.gpuIndices(), now).toContract(null, null)));
        }
        return plan;
    }

    private static ProblemException conflict(Optional<AllocationRecord> existing, String session) {
        if (existing.isEmpty()) {
            return ProblemException.conflict("session '" + session + "' already has a live allocation", null);
        }
        AllocationRecord a = existing.get();
        return ProblemException.conflict("session '" + session + "' already has live allocation " + a.id() + " ("
                + a.state().wire() + " in pool '" + a.pool() + "'); release it first", a.state().wire());
    }

    /** The pool lock was not obtained within the lock timeout: 503 with Retry-After. */
    private static void failIfBusy(SQLException e) {
        if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            throw ProblemException.unavailable("the pool is busy (lock timeout); try again", 1);
        }
    }

    static boolean isUuid(String id) {
        try {
            return id != null && id.length() == 36 && UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
