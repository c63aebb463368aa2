package io.keisei.training.service;

import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.ReplicaLeases;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * This replica's identity and lease (docs/training-orchestrator.md#replicas-leases-and-fencing). It registers at
 * start-up, renews every few seconds and releases the lease on a clean shutdown. When a renewal fails past the
 * lease's deadline, or finds the lease already expired, the replica has lost everything it owned: it drops its
 * watches (never killing a trainer: the new owner re-attaches it) and registers again under a new id, after which
 * the takeover scan may give it sessions again like any other replica.
 */
@ApplicationScoped
public class ReplicaLease {

    private static final Logger LOG = Logger.getLogger(ReplicaLease.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Told when the lease was lost, before registering again. */
    public interface LossListener {
        void leaseLost(String formerId);
    }

    private final ReplicaLeases leases;
    private final String base;
    private final LeaseDeadline deadline;
    private final List<LossListener> listeners = new CopyOnWriteArrayList<>();
    private volatile String id;
    private volatile boolean started;

    public ReplicaLease(ReplicaLeases leases, TrainingServiceConfig config) {
        this.leases = leases;
        this.base = config.replicas().name().filter(n -> !n.isBlank())
                .orElseGet(() -> System.getenv().getOrDefault("HOSTNAME", "training-service"));
        Duration duration = config.replicas().leaseDuration();
        if (config.replicas().renewEvery().multipliedBy(2).compareTo(duration) > 0) {
            // At least two renewals must fit in a lease, or one slow renewal loses every session.
            throw new IllegalArgumentException("keisei.training.replicas.renew-every (" + config.replicas().renewEvery()
                    + ") must be at most half of keisei.training.replicas.lease-duration (" + duration + ")");
        }
        // A fifth of the lease (at least the renewal period's worth would be too much for short test leases).
        this.deadline = new LeaseDeadline(duration, duration.dividedBy(5));
    }

    public void onLoss(LossListener l) {
        listeners.add(l);
    }

    /** Registers a first lease if there is none yet (idempotent). */
    public synchronized String start() {
        if (id == null) {
            register();
            try {
                leases.purge(Duration.ofDays(1)); // rows of replicas long gone that own nothing: history, not state
            } catch (Exception e) {
                LOG.debugf("old replica leases not purged: %s", e.getMessage());
            }
        }
        started = true;
        return id;
    }

    /** This replica's current id (a new one after each lost lease); null before {@link #start()}. */
    public String id() {
        return id;
    }

    /** Whether this replica may still trust its lease by its own clock; every act is also checked in the database. */
    public boolean held() {
        return id != null && deadline.held(System.nanoTime());
    }

    @Scheduled(every = "${keisei.training.replicas.renew-every:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void renew() {
        if (!started) {
            return;
        }
        if (id == null) {
            reRegister();
            return;
        }
        long sent = System.nanoTime();
        boolean renewed;
        try {
            renewed = leases.renew(id);
        } catch (Exception e) {
            if (deadline.held(System.nanoTime())) {
                LOG.warnf("replica %s: lease renewal failed (%s); retrying while the lease lasts", id, e.getMessage());
                return;
            }
            LOG.errorf("replica %s: lease could not be renewed before its deadline (%s)", id, e.getMessage());
            renewed = false;
        }
        if (renewed) {
            deadline.renewed(sent);
            return;
        }
        lose();
        reRegister();
    }

    private void reRegister() {
        try {
            register();
        } catch (RuntimeException e) {
            LOG.errorf("replica: registering a new lease failed (%s); retrying", e.getMessage());
        }
    }

    /** Gives the lease up now and tells the listeners, as if it had expired (also what tests use to simulate a partition). */
    public synchronized void lose() {
        String former = id;
        if (former == null) {
            return;
        }
        deadline.lost();
        LOG.warnf("replica %s: lease lost; dropping every watch (trainers keep running for their next owner)", former);
        for (LossListener l : listeners) {
            try {
                l.leaseLost(former);
            } catch (RuntimeException e) {
                LOG.errorf(e, "replica %s: a lease-loss listener failed", former);
            }
        }
        id = null;
    }

    private void register() {
        String next = base + "-" + HexFormat.of().formatHex(bytes());
        long sent = System.nanoTime();
        try {
            leases.register(next, base);
        } catch (Exception e) {
            throw new IllegalStateException("could not register replica " + next + ": " + e.getMessage(), e);
        }
        deadline.renewed(sent);
        id = next;
        LOG.infof("replica %s: registered, lease %s", next, leases.duration());
    }

    private static byte[] bytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    void onStop(@Observes ShutdownEvent ev) {
        String current = id;
        if (current == null) {
            return;
        }
        try {
            leases.release(current); // the next replica (or this one restarted) takes its sessions at once
        } catch (Exception e) {
            LOG.warnf("replica %s: lease not released (%s); it expires in %s", current, e.getMessage(), leases.duration());
        }
    }
}
