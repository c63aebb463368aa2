package io.keisei.resource.service;

import io.keisei.contracts.Streams;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.persistence.AllocationRepository;
import io.keisei.resource.persistence.Transactions;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource side's safety net for trainers that are gone: a granted allocation holds a lease
 * that the trainer's heartbeat key ({@code keisei:heartbeat:{session}}) renews. A grant's lease
 * runs keisei.resources.lease.startup-grace (120 s) for the first heartbeat; each check that finds
 * the key extends it to now + renewal (30 s). A lease that runs out is released with reason
 * "lease expired" (and allocation.released is published), which starts whatever now fits.
 *
 * <p>training-service normally gets there first: it kills a trainer whose heartbeat has been
 * missing for 12 s and releases its allocation. The renewal is longer on purpose, so this only
 * catches what training-service missed (it crashed, or the allocation's client never started a
 * trainer). When Redis cannot be read, no lease is judged: a missing answer says nothing about trainers.
 */
@ApplicationScoped
public class LeaseMonitor {

    private static final Logger LOG = Logger.getLogger(LeaseMonitor.class);

    private final Transactions tx;
    private final AllocationRepository allocations;
    private final AllocationService service;
    private final KeyCommands<String> keys;
    private final ResourceConfig.Lease config;
    private boolean redisDownLogged;

    public LeaseMonitor(Transactions tx, AllocationRepository allocations, AllocationService service, RedisDataSource redis,
                        ResourceConfig config) {
        this.tx = tx;
        this.allocations = allocations;
        this.service = service;
        this.keys = redis.key(String.class);
        this.config = config.lease();
    }

    @Scheduled(identity = "lease-check", every = "${keisei.resources.lease.check-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheck() {
        if (!config.enabled()) {
            return;
        }
        try {
            check();
        } catch (Exception e) {
            LOG.warnf("lease check failed: %s", e.getMessage());
        }
    }

    /** One check of every granted allocation; returns the allocations it released. */
    public List<String> check() throws Exception {
        record Snapshot(List<AllocationRecord> granted, Instant now) {
        }
        Snapshot s = tx.inTransaction(c -> new Snapshot(allocations.granted(c), allocations.now(c)));
        if (s.granted().isEmpty()) {
            return List.of();
        }
        Map<String, Boolean> alive = new HashMap<>();
        try {
            for (AllocationRecord a : s.granted()) {
                alive.computeIfAbsent(a.session(), session -> keys.exists(Streams.heartbeat(session)));
            }
        } catch (RuntimeException e) {
            if (!redisDownLogged) {
                LOG.warnf("lease check skipped while Redis is unreachable: %s", e.getMessage());
                redisDownLogged = true;
            }
            return List.of();
        }
        redisDownLogged = false;
        List<String> renew = new ArrayList<>();
        List<String> adopt = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (AllocationRecord a : s.granted()) {
            if (alive.get(a.session())) {
                renew.add(a.id());
            } else if (a.leaseExpiresAt() == null) {
                adopt.add(a.id()); // granted before leases existed, or with leases off: the grace starts now
            } else if (!a.leaseExpiresAt().isAfter(s.now())) {
                expired.add(a.id());
            }
        }
        if (!renew.isEmpty() || !adopt.isEmpty()) {
            tx.inTransaction(c -> {
                allocations.extendLeases(c, renew, s.now().plus(config.renewal()));
                allocations.adoptLeases(c, adopt, s.now().plus(config.startupGrace()));
                return null;
            });
        }
        List<String> released = new ArrayList<>();
        for (String id : expired) {
            if (service.releaseIfLeaseExpired(id).isPresent()) {
                LOG.infof("allocation %s released: lease expired (no trainer heartbeat)", id);
                released.add(id);
            }
        }
        return released;
    }
}
