package io.keisei.resource;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Admission at the JDBC level: the service is driven directly from two threads, each call in its
 * own transaction on its own connection, as two replicas would. The pool row lock is what makes
 * them take turns.
 */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class AdmissionConcurrencyTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    AgroalDataSource db;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    static AllocationRequest request(String session, int priority, long cpu, long memory, int gpus) {
        return new AllocationRequest(session, "carol", "researcher", priority, SmallPoolProfile.POOL, cpu, memory, gpus);
    }

    @Test
    void anAdmissionWaitsWhileAnotherTransactionHoldsThePoolLock() throws Exception {
        try (Connection other = db.getConnection()) {
            other.setAutoCommit(false);
            // FOR NO KEY UPDATE conflicts with admission's FOR UPDATE but not with the foreign-key check
            // of an insert into allocations, so only admission's own pool lock can make it wait.
            try (PreparedStatement ps = other.prepareStatement("SELECT 1 FROM resource.pools WHERE name = ? FOR NO KEY UPDATE")) {
                ps.setString(1, SmallPoolProfile.POOL);
                ps.executeQuery().close();
            }
            int holder = backendPid(other);
            CompletableFuture<Allocation> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return service.request(request("lock-" + System.nanoTime(), 0, 1000, 1024, 1));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // The admission's transaction is waiting on a lock that the other one holds.
            await().atMost(Duration.ofSeconds(10)).until(() -> blockedBy(holder) > 0);
            assertThat(waiting).as("admission must wait for the pool lock").isNotDone();
            other.commit();
            Allocation a = waiting.get(10, TimeUnit.SECONDS);
            assertThat(a.state()).isEqualTo(AllocationState.GRANTED);
            assertThat(a.gpuIndices()).containsExactly(0);
            other.setAutoCommit(true);
        }
    }

    private static int backendPid(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** How many sessions wait on a lock held by the session with this backend pid. */
    private long blockedBy(int holder) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))")) {
            ps.setInt(1, holder);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void twoThreadsWithSeparateTransactionsNeverOvercommit() throws Exception {
        String run = "jdbc-" + System.nanoTime() + "-";
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<CompletableFuture<List<String>>> workers = new ArrayList<>();
        try (PoolInvariants invariants = new PoolInvariants(db, SmallPoolProfile.POOL)) {
            for (int t = 0; t < 2; t++) {
                int thread = t;
                workers.add(CompletableFuture.supplyAsync(() -> work(run + thread + "-", new Random(thread), barrier)));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<List<String>> w : workers) {
                ids.addAll(w.get(3, TimeUnit.MINUTES));
            }
            // Release what is granted until nothing is live; the queue must empty itself on the way.
            for (int guard = 0; guard < 1000; guard++) {
                List<Allocation> granted = queries.list(EnumSet.of(AllocationState.GRANTED), null, SmallPoolProfile.POOL, 1000);
                if (granted.isEmpty()) {
                    break;
                }
                for (Allocation a : granted) {
                    service.release(a.id(), "drain");
                }
            }
            assertThat(queries.list(EnumSet.of(AllocationState.QUEUED, AllocationState.GRANTED), null, SmallPoolProfile.POOL, 10))
                    .isEmpty();
            invariants.close();
            assertThat(invariants.violations()).isEmpty();
            assertThat(invariants.maxCpu()).isLessThanOrEqualTo(SmallPoolProfile.CPU).isPositive();
            for (String id : ids) {
                Allocation a = queries.get(id);
                assertThat(a.state()).isEqualTo(AllocationState.RELEASED);
                assertThat(a.grantedAt()).as("allocation %s was never granted", id).isNotNull();
            }
        }
    }

    /** 150 requests of random sizes; releases granted ones at random, never cancels queued ones. */
    private List<String> work(String prefix, Random random, CyclicBarrier barrier) {
        try {
            barrier.await();
            List<String> mine = new ArrayList<>();
            List<String> held = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                Allocation a = service.request(request(prefix + i, random.nextInt(1001), 250L * (1 + random.nextInt(8)),
                        256L * (1 + random.nextInt(16)), random.nextInt(3)));
                mine.add(a.id());
                if (a.state() == AllocationState.GRANTED) {
                    assertThat(a.gpuIndices()).hasSize(a.gpus()).allMatch(g -> g >= 0 && g < SmallPoolProfile.GPUS);
                    held.add(a.id());
                }
                while (held.size() > 2 || (!held.isEmpty() && random.nextBoolean())) {
                    service.release(held.remove(random.nextInt(held.size())), "done");
                }
            }
            for (String id : held) {
                service.release(id, "done");
            }
            return mine;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void theSameSessionIsAdmittedOnceEvenWhenRacing() throws Exception {
        String session = "race-" + System.nanoTime();
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<CompletableFuture<Object>> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                    return service.request(request(session, 0, 500, 512, 0));
                } catch (Exception e) {
                    return e;
                }
            }));
        }
        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<Object> r : racers) {
            outcomes.add(r.get(30, TimeUnit.SECONDS));
        }
        assertThat(outcomes).filteredOn(o -> o instanceof Allocation).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof io.keisei.common.rest.ProblemException p && p.status() == 409).hasSize(1);
        assertThatThrownBy(() -> service.request(request(session, 0, 500, 512, 0)))
                .isInstanceOf(io.keisei.common.rest.ProblemException.class);
    }
}
