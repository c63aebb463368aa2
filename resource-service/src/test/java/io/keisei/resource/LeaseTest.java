package io.keisei.resource;

import io.keisei.resource.stream.AllocationEventPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.Streams;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * Leases (short in this profile): a granted allocation whose trainer never heartbeats, or stops, is
 * released as "lease expired", announced, and what waited for it starts.
 */
@QuarkusTest
@TestProfile(LeaseProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class LeaseTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    RedisDataSource redis;
    @Inject
    AllocationEventPublisher events;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    static String allocate(String session, long cpu, int expectedStatus) {
        return given().contentType(ContentType.JSON).body(Map.of("session", session, "owner", "lee", "role", "trainer",
                        "priority", 0, "cpuMillis", cpu, "memoryMb", 512, "gpus", 0)).post("/allocations")
                .then().statusCode(expectedStatus).extract().path("id");
    }

    static String state(String id) {
        return given().get("/allocations/{id}", id).then().statusCode(200).extract().path("state");
    }

    @Test
    void aHeartbeatKeepsTheLeaseAndItsAbsenceEndsIt() throws Exception {
        String silent = "l-" + UUID.randomUUID();
        String beating = "l-" + UUID.randomUUID();
        String silentId = allocate(silent, 2000, 201);
        String beatingId = allocate(beating, 2000, 201);
        String waitingId = allocate("l-" + UUID.randomUUID(), 2000, 202);

        AtomicBoolean heartbeat = new AtomicBoolean(true);
        Thread trainer = new Thread(() -> {
            while (heartbeat.get()) {
                redis.value(String.class).setex(Streams.heartbeat(beating), 1, "4242");
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        trainer.setDaemon(true);
        trainer.start();
        try {
            // Both were granted at the same moment with the same grace: only the silent one lapses.
            await().atMost(Duration.ofSeconds(30)).until(() -> "released".equals(state(silentId)));
            given().get("/allocations/{id}", silentId).then().body("reason", equalTo("lease expired"));
            EventLog.awaitRelayed(events);
            assertThat(EventLog.of(redis, silent, EventType.ALLOCATION_RELEASED)).singleElement()
                    .satisfies(e -> assertThat(e.reason()).isEqualTo("lease expired"));
            // What it held started the waiting request (which, silent too, may since have lapsed itself).
            given().get("/allocations/{id}", waitingId).then().body("grantedAt", notNullValue());
            assertThat(state(beatingId)).isEqualTo("granted");
        } finally {
            heartbeat.set(false);
            trainer.join();
        }
        // The trainer stops heartbeating (its key expires): the lease runs out after the renewal.
        await().atMost(Duration.ofSeconds(30)).until(() -> "released".equals(state(beatingId)));
        EventLog.awaitRelayed(events);
        assertThat(EventLog.of(redis, beating, EventType.ALLOCATION_RELEASED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("lease expired"));
    }
}
