package io.keisei.resource;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients at once over HTTP against the small pool (4000m, 8192 MiB, 4 GPUs): 40 clients of an
 * {@link AllocationStorm}, while a sampler checks, at every moment it sees, that grants stay within
 * capacity and no GPU index is held twice. At the end everything granted is released until nothing
 * is live, and the {@link StormVerdict} must hold. ReplicaConsistencyIT runs the same storm against
 * two replicas.
 */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class AllocationStormTest {

    static final int THREADS = 40;
    static final int ROUNDS = 8;

    @TestHTTPResource("/")
    URI base;
    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    @Test
    void grantsNeverExceedThePoolAndEveryQueuedRequestIsEventuallyGranted() throws Exception {
        String run = "storm-" + System.nanoTime() + "-";
        AllocationStorm storm = new AllocationStorm(List.of(base), SmallPoolProfile.POOL);
        AllocationStorm.Outcome outcome;
        try (PoolInvariants invariants = new PoolInvariants(db, SmallPoolProfile.POOL)) {
            outcome = storm.run(run, THREADS, ROUNDS);
            assertThat(outcome.failures()).isEmpty();
            storm.drain();
            invariants.close();
            System.out.printf("storm: %d requests, %d queued (%d started while clients waited, %d cancelled), %d samples, "
                            + "at most %d granted at once, max %dm CPU%n", outcome.created().size(), outcome.queued().size(),
                    outcome.startedFromQueue().size(), outcome.cancelled().size(), invariants.samples(),
                    invariants.maxGranted(), invariants.maxCpu());
            assertThat(invariants.violations()).isEmpty();
            assertThat(invariants.samples()).isGreaterThan(50);
            assertThat(invariants.maxGranted()).isGreaterThan(1);
        }
        assertThat(outcome.created()).hasSize(THREADS * ROUNDS);
        assertThat(outcome.queued()).as("the storm must make requests wait").isNotEmpty();
        assertThat(outcome.startedFromQueue()).as("queued requests must start on their own while others are released")
                .isNotEmpty();
        List<LifecycleEvent> events = redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), LifecycleEvent.class)).toList();
        try (Connection c = db.getConnection()) {
            StormVerdict.check(outcome, run, c, events);
        }
    }
}
