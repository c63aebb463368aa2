package io.keisei.resource;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.resource.stream.SessionEventConsumer;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The allocation of a session is released when keisei:events says the session stopped holding resources. */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class SessionEventReleaseTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    StreamPublisher publisher;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    Allocation allocate(String session, long cpu) throws Exception {
        return service.request(new AllocationRequest(session, "bob", "trainer", 0, null, cpu, 512, 0));
    }

    void publish(EventType type, String session, long time) {
        publisher.publish(Streams.EVENTS, new LifecycleEvent(LifecycleEvent.VERSION, type, session, 1, time,
                "training-service", null, null, null, null, null), Streams.EVENTS_MAXLEN);
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = {"SESSION_PAUSED", "SESSION_STOPPED", "SESSION_COMPLETED",
            "SESSION_FAILED", "SESSION_DELETED"})
    void endingEventsReleaseTheSessionsAllocation(EventType type) throws Exception {
        String session = "s-" + UUID.randomUUID();
        Allocation a = allocate(session, 1000);
        publish(type, session, System.currentTimeMillis() + 1000);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Allocation now = queries.get(a.id());
            assertThat(now.state()).isEqualTo(AllocationState.RELEASED);
            assertThat(now.reason()).isEqualTo(type.wire());
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(EventLog.of(redis, session, EventType.ALLOCATION_RELEASED)).hasSize(1));
        // Redelivery or a second ending event changes nothing.
        publish(type, session, System.currentTimeMillis() + 1000);
        assertThat(queries.get(a.id()).releasedAt()).isNotNull();
    }

    @Test
    void aQueuedRequestOfAFailedSessionIsCancelledAndTheNextStarts() throws Exception {
        Allocation holder = allocate("s-" + UUID.randomUUID(), 3500);
        String failing = "s-" + UUID.randomUUID();
        Allocation queued = allocate(failing, 2000);
        assertThat(queued.state()).isEqualTo(AllocationState.QUEUED);
        publish(EventType.SESSION_FAILED, failing, System.currentTimeMillis() + 1000);
        await().atMost(Duration.ofSeconds(15)).until(() -> queries.get(queued.id()).state() == AllocationState.RELEASED);
        assertThat(queries.get(queued.id()).grantedAt()).isNull();
        assertThat(queries.get(holder.id()).state()).isEqualTo(AllocationState.GRANTED);
    }

    @Test
    void aLateEventOfAnEarlierAttemptDoesNotFreeANewerAllocation() throws Exception {
        String session = "s-" + UUID.randomUUID();
        Allocation current = allocate(session, 1000);
        publish(EventType.SESSION_PAUSED, session, current.createdAt().toEpochMilli() - 60_000);
        // A marker behind it: once the marker's allocation is released, the late event was handled too.
        String marker = "s-" + UUID.randomUUID();
        Allocation markerAllocation = allocate(marker, 100);
        publish(EventType.SESSION_STOPPED, marker, System.currentTimeMillis() + 1000);
        await().atMost(Duration.ofSeconds(15)).until(() -> queries.get(markerAllocation.id()).state() == AllocationState.RELEASED);
        assertThat(queries.get(current.id()).state()).isEqualTo(AllocationState.GRANTED);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                redis.stream(String.class).xpending(Streams.EVENTS, SessionEventConsumer.GROUP).getPendingCount() == 0);
    }
}
