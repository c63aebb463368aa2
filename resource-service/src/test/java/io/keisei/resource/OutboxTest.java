package io.keisei.resource;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.outbox.Outbox;
import io.keisei.common.outbox.OutboxRelay;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.resource.persistence.Transactions;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.resource.stream.AllocationEventPublisher;
import io.keisei.testsupport.KeiseiInfraResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

/**
 * The transactional outbox of allocation events (resource.outbox): an event exists exactly when its
 * change was committed, and reaches keisei:events even when the process dies between the commit and
 * the XADD (a new relay, as after a restart, sends it), at least once and in order.
 */
@QuarkusTest
@TestProfile(OutboxProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class OutboxTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    AllocationEventPublisher events;
    @Inject
    Transactions tx;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    StreamPublisher publisher;
    @Inject
    RedisDataSource redis;
    @Inject
    MeterRegistry registry;

    final Outbox outbox = new Outbox(AllocationEventPublisher.OUTBOX_TABLE);

    @BeforeEach
    void empty() throws Exception {
        PoolCleaner.empty(service, queries);
        freshRelay(publisher::publishEncoded).relayPending(Duration.ofSeconds(5));
        assertThat(rows()).isZero();
    }

    OutboxRelay freshRelay(OutboxRelay.Sender sender) {
        return new OutboxRelay(outbox, dataSource, sender, new OutboxRelay.Settings(10, Duration.ofHours(1),
                Duration.ofSeconds(5), Duration.ofSeconds(30)));
    }

    long rows() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + AllocationEventPublisher.OUTBOX_TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static LifecycleEvent event(String session, int attempt) {
        return LifecycleEvent.of(EventType.SESSION_QUEUED, session, attempt, "outbox-test", "queued", null);
    }

    /** Commits {@code n} events of one session (attempts 1..n) without relaying them: the process "dies" after the commit. */
    void commitWithoutRelay(String session, int n) throws Exception {
        tx.inTransaction(c -> {
            for (int i = 1; i <= n; i++) {
                outbox.append(c, Streams.EVENTS, event(session, i), Streams.EVENTS_MAXLEN);
            }
            return null;
        });
    }

    static List<Integer> attempts(List<LifecycleEvent> events) {
        return events.stream().map(LifecycleEvent::attempt).toList();
    }

    @Test
    void aCommittedChangesEventsFollowTheCallAndLeaveTheTable() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        Allocation a = service.request(new AllocationRequest(session, "bob", "trainer", 0, null, 500, 512, 0));
        service.release(a.id(), "done");

        // Sent by the passes the commits asked for, on the relay's thread.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(EventLog.of(redis, session)).extracting(LifecycleEvent::type)
                .containsExactly(EventType.ALLOCATION_GRANTED, EventType.ALLOCATION_RELEASED));
        await().atMost(Duration.ofSeconds(5)).until(() -> rows() == 0);
    }

    @Test
    void aRolledBackTransactionLeavesNoEvent() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        assertThatThrownBy(() -> tx.inTransaction(c -> {
            outbox.append(c, Streams.EVENTS, event(session, 1), Streams.EVENTS_MAXLEN);
            throw new IllegalStateException("the state change fails after the event was written");
        })).isInstanceOf(IllegalStateException.class);
        // A refused request (larger than the pool) rolls back too.
        given().contentType("application/json").body(java.util.Map.of("session", session, "owner", "bob", "role", "trainer",
                "priority", 0, "cpuMillis", 1_000_000, "memoryMb", 512, "gpus", 0)).post("/allocations").then().statusCode(422);

        assertThat(rows()).isZero();
        assertThat(freshRelay(publisher::publishEncoded).relayPending(Duration.ofSeconds(5))).isZero();
        assertThat(EventLog.of(redis, session)).isEmpty();
    }

    @Test
    void eventsCommittedBeforeACrashAreSentByTheNextRelayInOrder() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        commitWithoutRelay(session, 25);   // committed; the process died before relaying
        assertThat(rows()).isEqualTo(25);
        assertThat(EventLog.of(redis, session)).isEmpty();

        // The restarted service's relay (a fresh instance, batches of 10).
        assertThat(freshRelay(publisher::publishEncoded).relayPending(Duration.ofSeconds(5))).isEqualTo(25);

        assertThat(attempts(EventLog.of(redis, session))).containsExactlyElementsOf(IntStream.rangeClosed(1, 25).boxed().toList());
        assertThat(rows()).isZero();
    }

    @Test
    void aCrashAfterTheXaddAndBeforeTheDeleteSendsAgainInOrder() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        commitWithoutRelay(session, 4);
        AtomicInteger calls = new AtomicInteger();
        OutboxRelay dying = freshRelay((stream, json, maxLen) -> {
            publisher.publishEncoded(stream, json, maxLen);
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("killed after the XADD of the second event");
            }
        });
        assertThatThrownBy(() -> dying.relayPending(Duration.ofSeconds(5))).hasMessageContaining("killed");
        assertThat(rows()).isEqualTo(3);   // the first was sent and deleted; the second was sent, not deleted

        freshRelay(publisher::publishEncoded).relayPending(Duration.ofSeconds(5));

        // At least once: the second comes twice, and nothing is out of order.
        assertThat(attempts(EventLog.of(redis, session))).containsExactly(1, 2, 2, 3, 4);
        assertThat(rows()).isZero();
    }

    @Test
    void twoRelaysNeverSendTheSameRow() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        commitWithoutRelay(session, 60);
        AtomicInteger sent = new AtomicInteger();
        OutboxRelay.Sender slow = (stream, json, maxLen) -> {
            publisher.publishEncoded(stream, json, maxLen);
            sent.incrementAndGet();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CyclicBarrier start = new CyclicBarrier(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> passes = IntStream.range(0, 3).mapToObj(i -> pool.submit(() -> {
                OutboxRelay r = freshRelay(slow);
                start.await();
                return r.relayPending(Duration.ofSeconds(10));
            })).toList();
            for (Future<Integer> f : passes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sent.get()).isEqualTo(60);
        assertThat(attempts(EventLog.of(redis, session))).containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
        assertThat(rows()).isZero();
    }

    @Test
    void anOldBacklogIsReportedAsDegradedNotDeadAndMeasured() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        commitWithoutRelay(session, 2);
        Thread.sleep(1200);
        assertThat(events.relay().measure().rows()).isEqualTo(2);
        assertThat(registry.get("keisei.outbox.backlog").tag("table", "resource.outbox").gauge().value()).isEqualTo(2.0);

        given().get("/q/health/well").then().statusCode(503).body("checks.find { it.name == 'outbox' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'outbox' }.data.backlog", equalTo(2));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);

        // The next commit's nudge relays everything waiting, in order, before its own events.
        Allocation a = service.request(new AllocationRequest(session, "bob", "trainer", 0, null, 500, 512, 0));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(EventLog.of(redis, session)).extracting(LifecycleEvent::type)
                .containsExactly(EventType.SESSION_QUEUED, EventType.SESSION_QUEUED, EventType.ALLOCATION_GRANTED));
        await().atMost(Duration.ofSeconds(5)).until(() -> events.relay().measure().rows() == 0);
        given().get("/q/health/well").then().statusCode(200);
        service.release(a.id(), "done");
    }
}
