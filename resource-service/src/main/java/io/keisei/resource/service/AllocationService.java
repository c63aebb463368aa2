package io.keisei.resource.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.EventType;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.contracts.api.FieldError;
import io.keisei.resource.AllocationChange;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.PreemptionPlanner;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.persistence.AllocationRepository;
import io.keisei.resource.persistence.PoolRepository;
import io.keisei.resource.persistence.Transactions;
import io.keisei.resource.stream.AllocationEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Admission: grants, queues, preempts and releases allocations. Every change of a pool's
 * allocations runs in one transaction that first locks the pool's row (SELECT ... FOR UPDATE),
 * then the advisory locks of the owners whose quotas the pass applies, reads what is granted and
 * queued, applies a {@link QueuePlanner} pass (and, when enabled, a {@link PreemptionPlanner}
 * choice) and commits; so any number of replicas and threads never grant more than the pool has,
 * nor one GPU twice, nor more sessions than an owner's quota. The resulting events are written to
 * the outbox in the same transaction and relayed to keisei:events right after the commit (and, should
 * that fail or the process die first, by the outbox relay's timer).
 */
@ApplicationScoped
public class AllocationService {

    private static final Logger LOG = Logger.getLogger(AllocationService.class);
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    public static final String LEASE_EXPIRED = "lease expired";

    /** What a transaction decided: its subject and the changes it announces (staged in the outbox before commit). */
    private record Result(Allocation subject, List<AllocationChange> changes) {
    }

    private final Transactions tx;
    private final PoolRepository pools;
    private final AllocationRepository allocations;
    private final AllocationRequestValidator validator;
    private final AllocationEventPublisher events;
    private final PoolPlanning planning;
    private final QuotaPolicy quotas;
    private final PreemptionPlanner preemption;
    private final ResourceConfig config;

    public AllocationService(Transactions tx, PoolRepository pools, AllocationRepository allocations,
                             AllocationRequestValidator validator, AllocationEventPublisher events, PoolPlanning planning,
                             QuotaPolicy quotas, ResourceConfig config) {
        this.tx = tx;
        this.pools = pools;
        this.allocations = allocations;
        this.validator = validator;
        this.events = events;
        this.planning = planning;
        this.quotas = quotas;
        this.config = config;
        // Under Kueue admission, Kueue preempts (its ClusterQueues' policies) and we mirror its evictions.
        this.preemption = config.preemption().enabled() && !planning.kueueAdmits()
                ? new PreemptionPlanner(config.preemption().minPriorityGap()) : null;
    }

    /**
     * Admits a request: granted at once when it fits (and no request ahead in the queue needs what
     * it would take, and the owner's quota allows), else queued. 400 for invalid input or an unknown
     * pool, 403 when the role may not run sessions (or use GPUs), 409 when the session already has
     * a live allocation, 422 when the request is larger than the pool or the owner's GPU-hours are used up.
     */
    public Allocation request(AllocationRequest request) throws SQLException {
        AllocationRequestValidator.ValidRequest r = validator.validate(request);
        Result result;
        try {
            result = tx.inTransaction(c -> staged(c, admit(c, r)));
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                // Another pool's transaction admitted the same session concurrently.
                throw conflict(tx.inTransaction(c -> allocations.liveForSession(c, r.session())), r.session());
            }
            failIfBusy(e);
            throw e;
        }
        events.afterCommit();
        return result.subject();
    }

    /** Writes the result's events into the outbox, in the transaction (under the pool lock, so in commit order). */
    private Result staged(Connection c, Result result) throws SQLException {
        events.stage(c, result.changes());
        return result;
    }

    private Result admit(Connection c, AllocationRequestValidator.ValidRequest r) throws SQLException {
        allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
        Pool pool = pools.lock(c, r.pool()).orElseThrow(() -> ProblemException.badRequest(
                "pool: unknown pool '" + r.pool() + "'", List.of(new FieldError("pool", "unknown pool '" + r.pool() + "'"))));
        Optional<AllocationRecord> existing = allocations.liveForSession(c, r.session());
        if (existing.isPresent()) {
            throw conflict(existing, r.session());
        }
        // Under Kueue admission capacity is its ClusterQueues' (which may span other nodes): it says what never fits.
        List<String> excesses = planning.kueueAdmits() ? List.of() : r.need().excesses(pool.name(), QueuePlanner.capacity(pool));
        if (!excesses.isEmpty()) {
            throw ProblemException.unprocessable("the request can never fit: " + String.join("; ", excesses));
        }
        Instant now = allocations.now(c);
        quotas.checkAdmission(c, r.owner(), r.role(), r.need().gpus(), now);
        AllocationRecord created = new AllocationRecord(UUID.randomUUID().toString(), r.session(), r.owner(), r.role(),
                r.priority(), pool.name(), AllocationState.QUEUED, r.need(), List.of(), null, now, null, null, null);
        allocations.insert(c, created);
        List<AllocationChange> changes = new ArrayList<>();
        QueuePlan plan = pass(c, pool, now, changes);
        Optional<QueuePlan.Grant> grant = plan.grant(created.id());
        if (grant.isPresent() && planning.kueueAdmits()) {
            // The pass handed it to Kueue and announced it (allocation.queued naming the LocalQueue).
            return new Result(changes.stream().map(AllocationChange::allocation)
                    .filter(a -> a.id().equals(created.id())).findFirst().orElseThrow(), changes);
        }
        if (grant.isPresent()) {
            Allocation granted = created.granted(grant.get().node(), grant.get().gpuIndices(), now, null).toContract(null, null);
            return new Result(granted, changes);
        }
        QueuePlan.Waiting waiting = plan.waiting(created.id()).orElseThrow();
        allocations.setReason(c, created.id(), waiting.reason());
        Allocation queued = created.toContract(waiting.position(), waiting.reason());
        // Announced before the grants and preemptions of the same pass would be confusing: put it first.
        changes.add(0, new AllocationChange(EventType.ALLOCATION_QUEUED, queued));
        return new Result(queued, changes);
    }

    /**
     * Releases an allocation (granted or still queued) and starts the queued requests that now fit.
     * Idempotent: releasing a released allocation returns it unchanged. 404 for an unknown id.
     */
    public Allocation release(String id, String reason) throws SQLException {
        return releaseIf(id, reason, (a, now) -> true).orElseThrow();
    }

    /**
     * Releases a granted allocation whose lease has expired (checked again under the pool lock:
     * another replica may have renewed or released it meanwhile). Empty when it was not released.
     */
    public Optional<Allocation> releaseIfLeaseExpired(String id) throws SQLException {
        return releaseIf(id, LEASE_EXPIRED, (a, now) -> a.granted() && a.leaseExpiresAt() != null
                && !a.leaseExpiresAt().isAfter(now));
    }

    private Optional<Allocation> releaseIf(String id, String reason, BiPredicate<AllocationRecord, Instant> condition)
            throws SQLException {
        if (!isUuid(id)) {
            throw ProblemException.notFound("allocation", id);
        }
        Result result;
        try {
            result = tx.inTransaction(c -> staged(c, releaseLocked(c, id, reason, condition)));
        } catch (SQLException e) {
            failIfBusy(e);
            throw e;
        }
        events.afterCommit();
        return Optional.ofNullable(result.subject());
    }

    private Result releaseLocked(Connection c, String id, String reason, BiPredicate<AllocationRecord, Instant> condition)
            throws SQLException {
        allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
        String poolName = allocations.poolOf(c, id).orElseThrow(() -> ProblemException.notFound("allocation", id));
        Pool pool = pools.lock(c, poolName).orElseThrow();
        AllocationRecord a = allocations.find(c, id).orElseThrow();
        Instant now = allocations.now(c);
        if (!a.live()) {
            return new Result(a.toContract(null, a.reason()), List.of());
        }
        if (!condition.test(a, now)) {
            return new Result(null, List.of());
        }
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
     * Puts a granted allocation back in the queue at its old place, because its trainer could not use it (in a
     * cluster: someone else's pod took the node's space between the grant and the trainer's Job). Announced as
     * allocation.queued with {@code why} and the queue's reason; what now fits (this one, elsewhere, included) is
     * granted in the same pass. Empty when it was not granted any more.
     */
    public Optional<Allocation> requeue(String id, String why) throws SQLException {
        Result result;
        try {
            result = tx.inTransaction(c -> staged(c, requeueLocked(c, id, AllocationRecord.REQUEUED + why)));
        } catch (SQLException e) {
            failIfBusy(e);
            throw e;
        }
        events.afterCommit();
        return Optional.ofNullable(result.subject());
    }

    private Result requeueLocked(Connection c, String id, String reason) throws SQLException {
        allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
        String poolName = allocations.poolOf(c, id).orElseThrow(() -> ProblemException.notFound("allocation", id));
        Pool pool = pools.lock(c, poolName).orElseThrow();
        AllocationRecord a = allocations.find(c, id).orElseThrow();
        if (!a.granted() || a.handedToKueue()) {
            // Kueue's own waitForPodsReady evicts a Workload whose pods do not start; it is not put back in our queue.
            return new Result(null, List.of());
        }
        Instant now = allocations.now(c);
        allocations.markRequeued(c, id, reason);
        AllocationRecord queued = a.requeuedBecause(reason);
        List<AllocationChange> changes = new ArrayList<>();
        QueuePlan plan = pass(c, pool, now, changes);
        Optional<QueuePlan.Waiting> waiting = plan.waiting(id);
        Allocation announced = waiting.map(w -> queued.toContract(w.position(), reason + "; " + w.reason()))
                .orElseGet(() -> queued.toContract(1, reason));
        // Queued first, then (from the pass) granted again if it fits somewhere now.
        changes.add(0, new AllocationChange(EventType.ALLOCATION_QUEUED, announced));
        LOG.infof("allocation %s of session %s: %s", id, a.session(), reason);
        return new Result(announced, changes);
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

    /** One queue pass over a pool, outside any request: grants what fits now (and preempts, when enabled). */
    public List<Allocation> reschedule(String poolName) throws SQLException {
        List<AllocationChange> changes = tx.inTransaction(c -> {
            allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
            Optional<Pool> pool = pools.lock(c, poolName);
            List<AllocationChange> out = new ArrayList<>();
            if (pool.isPresent()) {
                pass(c, pool.get(), allocations.now(c), out);
            }
            events.stage(c, out);
            return out;
        });
        events.afterCommit();
        return changes.stream().filter(ch -> ch.type() == EventType.ALLOCATION_GRANTED)
                .map(AllocationChange::allocation).toList();
    }

    /**
     * Plans the pool's queue and applies the grants, then, with preemption on, marks the victims
     * the head of the queue needs. The caller holds the pool lock. Returns the plan with its grants
     * and the waiting requests' reasons as they stand after any preemption.
     */
    private QueuePlan pass(Connection c, Pool pool, Instant now, List<AllocationChange> changes) throws SQLException {
        QueuePlan plan = planning.plan(c, pool, now, true);
        if (planning.kueueAdmits()) {
            handToKueue(c, pool, plan, now, changes);
            return plan;
        }
        Instant leaseUntil = config.lease().enabled() ? now.plus(config.lease().startupGrace()) : null;
        for (QueuePlan.Grant g : plan.grants()) {
            allocations.markGranted(c, g.allocation().id(), g.node(), g.gpuIndices(), now, leaseUntil);
            changes.add(new AllocationChange(EventType.ALLOCATION_GRANTED,
                    g.allocation().granted(g.node(), g.gpuIndices(), now, leaseUntil).toContract(null, null)));
        }
        if (preemption == null) {
            return plan;
        }
        List<AllocationRecord> live = allocations.live(c, pool.name());
        Optional<PreemptionPlanner.Preemption> chosen = preemption.plan(plan, live, planning.nodesOf(pool));
        if (chosen.isEmpty()) {
            return plan;
        }
        AllocationRecord preemptor = chosen.get().preemptor();
        for (AllocationRecord victim : chosen.get().victims()) {
            String why = "preempted by allocation " + preemptor.id() + " of session " + preemptor.session()
                    + " (priority " + preemptor.priority() + " over " + victim.priority() + ")";
            allocations.markPreempted(c, victim.id(), preemptor.id(), why, now);
            changes.add(new AllocationChange(EventType.ALLOCATION_PREEMPTED, victim.preempted(why, now).toContract(null, why)));
            LOG.infof("pool '%s': allocation %s of session %s (priority %d) preempted for allocation %s of session %s "
                    + "(priority %d)", pool.name(), victim.id(), victim.session(), victim.priority(), preemptor.id(),
                    preemptor.session(), preemptor.priority());
        }
        // The waiting requests' reasons now say what they wait for; the grants were made above.
        QueuePlan after = planning.plan(c, pool, allocations.live(c, pool.name()), now, false);
        return new QueuePlan(plan.capacity(), plan.free(), plan.grants(), after.waiting());
    }

    /**
     * Kueue admission: hands the requests the plan lets go (their owners' quotas allow) to the pool's LocalQueue. Each
     * is announced as allocation.queued naming the queue, on which training-service creates its trainer Job,
     * suspended, for Kueue to admit.
     */
    private void handToKueue(Connection c, Pool pool, QueuePlan plan, Instant now, List<AllocationChange> changes)
            throws SQLException {
        String queue = config.kueue().queueOf(pool.name());
        for (QueuePlan.Grant g : plan.grants()) {
            String why = "handed to Kueue (LocalQueue '" + queue + "'); waiting for its admission";
            allocations.markHandedToKueue(c, g.allocation().id(), queue, why);
            changes.add(new AllocationChange(EventType.ALLOCATION_QUEUED,
                    g.allocation().handedTo(queue, why).toContract(null, why)));
            LOG.infof("allocation %s of session %s handed to Kueue's LocalQueue %s", g.allocation().id(),
                    g.allocation().session(), queue);
        }
    }

    /**
     * Kueue admitted the Workload of an allocation handed to it: the allocation is granted (on no node of ours: Kueue
     * and the scheduler place the pod) and announced. Empty when it was not waiting for Kueue (already granted,
     * released, or not ours).
     */
    public Optional<Allocation> admittedByKueue(String id, String clusterQueue) throws SQLException {
        return underPoolLock(id, (c, pool, a, now, changes) -> {
            if (a.state() != AllocationState.QUEUED || !a.handedToKueue()) {
                return null;
            }
            Instant leaseUntil = config.lease().enabled() ? now.plus(config.lease().startupGrace()) : null;
            allocations.markGranted(c, id, null, List.of(), now, leaseUntil);
            Allocation granted = a.granted(null, List.of(), now, leaseUntil).toContract(null, null);
            changes.add(new AllocationChange(EventType.ALLOCATION_GRANTED, granted));
            LOG.infof("allocation %s of session %s admitted by Kueue (ClusterQueue %s)", id, a.session(), clusterQueue);
            return granted;
        });
    }

    /**
     * Kueue evicted the Workload of an allocation (preempted for another, pods not ready in time, deactivated): Kueue
     * suspends its Job, and the allocation is preempted as our own preemption does (allocation.preempted: its session
     * pauses, checkpointing, and gives the allocation back). Empty when there is nothing to do any more.
     */
    public Optional<Allocation> evictedByKueue(String id, String why) throws SQLException {
        return underPoolLock(id, (c, pool, a, now, changes) -> {
            if (!a.handedToKueue() || a.preempting() || !a.live() || why.equals(a.reason())) {
                return null;
            }
            if (a.granted()) {
                allocations.markPreempted(c, id, null, why, now);
            } else {
                allocations.setReason(c, id, why); // evicted before we saw it admitted
            }
            Allocation preempted = a.preempted(why, now).toContract(null, why);
            changes.add(new AllocationChange(EventType.ALLOCATION_PREEMPTED, preempted));
            LOG.infof("allocation %s of session %s: %s", id, a.session(), why);
            return preempted;
        });
    }

    /** One change of one allocation under its pool's lock; returns null for "nothing to do". */
    @FunctionalInterface
    private interface LockedChange {
        Allocation apply(Connection c, Pool pool, AllocationRecord a, Instant now, List<AllocationChange> changes)
                throws SQLException;
    }

    private Optional<Allocation> underPoolLock(String id, LockedChange change) throws SQLException {
        if (!isUuid(id)) {
            return Optional.empty();
        }
        Result result;
        try {
            result = tx.inTransaction(c -> {
                allocations.lockTimeout(c, config.queue().lockTimeout().toMillis());
                Optional<String> poolName = allocations.poolOf(c, id);
                if (poolName.isEmpty()) {
                    return new Result(null, List.of());
                }
                Pool pool = pools.lock(c, poolName.get()).orElseThrow();
                AllocationRecord a = allocations.find(c, id).orElseThrow();
                List<AllocationChange> changes = new ArrayList<>();
                Allocation subject = change.apply(c, pool, a, allocations.now(c), changes);
                return staged(c, new Result(subject, changes));
            });
        } catch (SQLException e) {
            failIfBusy(e);
            throw e;
        }
        events.afterCommit();
        return Optional.ofNullable(result.subject());
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
