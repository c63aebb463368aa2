package io.keisei.resource;

import io.keisei.resource.stream.AllocationEventPublisher;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Preemption (on in this profile): the victim is not killed but told, through allocation.preempted
 * on keisei:events, to pause; its resources go to the preemptor once its session has paused.
 */
@QuarkusTest
@TestProfile(PolicyProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class PreemptionTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    RedisDataSource redis;
    @Inject
    AllocationEventPublisher events;
    @Inject
    StreamPublisher publisher;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    /** Admins, so that quotas stay out of the way. */
    static ValidatableResponse request(String session, int priority, long cpu, int gpus) {
        return given().contentType(ContentType.JSON).body(Map.of("session", session, "owner", "ops", "role", "admin",
                "priority", priority, "cpuMillis", cpu, "memoryMb", 512, "gpus", gpus)).post("/allocations").then();
    }

    static String session() {
        return "p-" + UUID.randomUUID();
    }

    @Test
    void theHeadOfTheQueuePausesTheLowestPriorityYoungestVictimAndGetsItsGpuWhenItHasPaused() {
        String a = session();
        String b = session();
        String c = session();
        String aId = request(a, 10, 500, 2).statusCode(201).extract().path("id");
        String bId = request(b, 10, 500, 1).statusCode(201).extract().path("id");   // as low as A, but younger
        String cId = request(c, 20, 500, 1).statusCode(201).extract().path("id");
        List<Integer> bGpus = given().get("/allocations/{id}", bId).then().extract().path("gpuIndices");

        String h = session();
        String hId = request(h, 500, 500, 1).statusCode(202)
                .body("reason", containsString("waiting for 1 preempted allocation to be released"))
                .extract().path("id");

        // B, and only B, is told to pause; it keeps its GPU meanwhile.
        EventLog.awaitRelayed(events);
        assertThat(EventLog.of(redis, b, EventType.ALLOCATION_PREEMPTED)).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("resource-service");
            assertThat(e.allocation().allocationId()).isEqualTo(bId);
            assertThat(e.reason()).contains(hId).contains("priority 500 over 10");
        });
        assertThat(EventLog.of(redis, a, EventType.ALLOCATION_PREEMPTED)).isEmpty();
        assertThat(EventLog.of(redis, c, EventType.ALLOCATION_PREEMPTED)).isEmpty();
        given().get("/allocations/{id}", bId).then().body("state", equalTo("granted"))
                .body("reason", containsString("preempted by allocation " + hId));

        // Another pass (e.g. an unrelated request) does not preempt a second victim for the same need.
        request(session(), 0, 100, 0).statusCode(201);
        EventLog.awaitRelayed(events);
        assertThat(EventLog.of(redis, a, EventType.ALLOCATION_PREEMPTED)).isEmpty();
        assertThat(EventLog.of(redis, c, EventType.ALLOCATION_PREEMPTED)).isEmpty();

        // training-service pauses B (checkpoint, exit) and announces it; its allocation goes to H.
        publisher.publish(Streams.EVENTS, new LifecycleEvent(LifecycleEvent.VERSION, EventType.SESSION_PAUSED, b, 1,
                System.currentTimeMillis() + 1000, "training-service", "paused", null, null, null, null), Streams.EVENTS_MAXLEN);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/allocations/{id}", hId).then().body("state", equalTo("granted")).body("gpuIndices", equalTo(bGpus)));
        given().get("/allocations/{id}", bId).then().body("state", equalTo("released")).body("reason", equalTo("session.paused"));
        given().get("/allocations/{id}", aId).then().body("state", equalTo("granted"));
        given().get("/allocations/{id}", cId).then().body("state", equalTo("granted"));
    }

    @Test
    void equalPrioritiesWaitInsteadOfPreempting() {
        String a = session();
        request(a, 100, 3500, 4).statusCode(201);
        request(session(), 100, 1000, 1).statusCode(202).body("reason", containsString("first in queue"));
        EventLog.awaitRelayed(events);
        assertThat(EventLog.of(redis, a, EventType.ALLOCATION_PREEMPTED)).isEmpty();
    }
}
