package io.keisei.resource;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class AllocationResourceTest {

    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    RedisDataSource redis;

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    static Map<String, Object> request(String session, int priority, long cpu, long memory, int gpus) {
        Map<String, Object> r = new HashMap<>();
        r.put("session", session);
        r.put("owner", "alice");
        r.put("role", "trainer");
        r.put("priority", priority);
        r.put("cpuMillis", cpu);
        r.put("memoryMb", memory);
        r.put("gpus", gpus);
        return r;
    }

    static ValidatableResponse post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/allocations").then();
    }

    static String session() {
        return "s-" + UUID.randomUUID();
    }

    @Test
    void whatFitsIsGrantedAtOnceWithConcreteGpus() {
        String s = session();
        String id = post(request(s, 10, 1000, 1024, 2)).statusCode(201)
                .body("state", equalTo("granted"))
                .body("session", equalTo(s))
                .body("pool", equalTo(SmallPoolProfile.POOL))
                .body("gpus", equalTo(2))
                .body("gpuIndices", containsInAnyOrder(0, 1))
                .body("queuePosition", nullValue())
                .body("grantedAt", notNullValue())
                .extract().path("id");
        given().get("/allocations/{id}", id).then().statusCode(200)
                .body("state", equalTo("granted")).body("cpuMillis", equalTo(1000)).body("memoryMb", equalTo(1024));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<LifecycleEvent> granted = EventLog.of(redis, s, EventType.ALLOCATION_GRANTED);
            assertThat(granted).singleElement().satisfies(e -> {
                assertThat(e.source()).isEqualTo("resource-service");
                assertThat(e.allocation().allocationId()).isEqualTo(id);
                assertThat(e.allocation().gpuIndices()).containsExactly(0, 1);
                assertThat(e.allocation().pool()).isEqualTo(SmallPoolProfile.POOL);
            });
        });
    }

    @Test
    void locationPointsAtTheAllocation() {
        var r = post(request(session(), 0, 100, 100, 0)).statusCode(201).extract();
        assertThat(r.header("Location")).endsWith("/allocations/" + r.path("id"));
    }

    @Test
    void whatDoesNotFitWaitsWithPositionAndReasonAndStartsOnItsOwnWhenResourcesAreReleased() {
        String holderSession = session();
        String holder = post(request(holderSession, 0, 3000, 1024, 0)).statusCode(201).extract().path("id");
        String sB = session();
        String b = post(request(sB, 50, 2000, 1024, 1)).statusCode(202)
                .body("state", equalTo("queued"))
                .body("queuePosition", equalTo(1))
                .body("reason", equalTo("needs 2 CPU, 1 of 4 CPU free; first in queue"))
                .body("gpuIndices", hasSize(0))
                .body("grantedAt", nullValue())
                .extract().path("id");
        String c = post(request(session(), 10, 2500, 1024, 0)).statusCode(202)
                .body("queuePosition", equalTo(2))
                .body("reason", equalTo("needs 2.5 CPU, 1 of 4 CPU free; 1 request ahead"))
                .extract().path("id");

        given().get("/allocations?state=queued&pool=" + SmallPoolProfile.POOL).then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(b, c))
                .body("queuePosition", org.hamcrest.Matchers.contains(1, 2));
        given().get("/allocations").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(holder, b, c));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(EventLog.of(redis, sB, EventType.ALLOCATION_QUEUED)).singleElement().satisfies(e -> {
                    assertThat(e.allocation().queuePosition()).isEqualTo(1);
                    assertThat(e.reason()).startsWith("needs 2 CPU");
                }));

        // Preemption is off by default: B (priority 50) waits rather than preempting the holder (priority 0).
        assertThat(EventLog.of(redis, holderSession, EventType.ALLOCATION_PREEMPTED)).isEmpty();
        given().delete("/allocations/{id}", holder).then().statusCode(200).body("state", equalTo("released"));

        // B starts on its own; C now waits for what B holds.
        given().get("/allocations/{id}", b).then().statusCode(200)
                .body("state", equalTo("granted")).body("gpuIndices", equalTo(List.of(0))).body("reason", nullValue());
        given().get("/allocations/{id}", c).then().statusCode(200)
                .body("state", equalTo("queued")).body("queuePosition", equalTo(1))
                .body("reason", equalTo("needs 2.5 CPU, 2 of 4 CPU free; first in queue"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(EventLog.of(redis, sB, EventType.ALLOCATION_GRANTED)).singleElement()
                        .satisfies(e -> assertThat(e.allocation().gpuIndices()).containsExactly(0)));
    }

    @Test
    void requestsLargerThanThePoolAreUnprocessable() {
        post(request(session(), 0, 5000, 1024, 0)).statusCode(422)
                .contentType("application/problem+json")
                .body("detail", containsString("needs 5 CPU but pool 'small' has 4 CPU in all"));
        post(request(session(), 0, 1000, 9000, 5)).statusCode(422)
                .body("detail", containsString("9000 MiB memory but pool 'small' has 8192 MiB in all"))
                .body("detail", containsString("needs 5 GPUs but pool 'small' has 4 GPUs"));
    }

    @Test
    void invalidRequestsGetFieldErrors() {
        Map<String, Object> bad = request(" ", 2000, 0, -5, -1);
        bad.put("owner", null);
        bad.put("role", "wizard");
        post(bad).statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("session", "owner", "role", "priority", "cpuMillis", "memoryMb", "gpus"))
                .body("errors.find { it.field == 'role' }.message", containsString("admin, trainer, researcher, viewer"));

        Map<String, Object> absurd = request(session(), 0, 1_000_000_000_000L, 1024, 0);
        post(absurd).statusCode(400).body("errors.field", equalTo(List.of("cpuMillis")));

        Map<String, Object> unknownPool = request(session(), 0, 1000, 1024, 0);
        unknownPool.put("pool", "nope");
        post(unknownPool).statusCode(400).body("errors.field", equalTo(List.of("pool")))
                .body("detail", containsString("unknown pool 'nope'"));

        given().contentType(ContentType.JSON).body("{\"session\": ").post("/allocations").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"cpuMillis\": \"lots\"}").post("/allocations").then().statusCode(400)
                .body("errors.field", hasItems("cpuMillis"));
        given().contentType(ContentType.JSON).post("/allocations").then().statusCode(400);

        // Amounts are whole numbers: 0.5 GPUs or a null count are not quietly read as 0.
        Map<String, Object> halfGpu = request(session(), 0, 1000, 1024, 0);
        halfGpu.put("gpus", 0.5);
        post(halfGpu).statusCode(400).contentType("application/problem+json").body("errors.field", equalTo(List.of("gpus")));
        Map<String, Object> nullGpus = request(session(), 0, 1000, 1024, 0);
        nullGpus.put("gpus", null);
        post(nullGpus).statusCode(400).body("errors.field", equalTo(List.of("gpus")));
        Map<String, Object> wordyPriority = request(session(), 0, 1000, 1024, 0);
        wordyPriority.put("priority", "high");
        post(wordyPriority).statusCode(400).body("errors.field", equalTo(List.of("priority")));
        Map<String, Object> negative = request(session(), -1001, -1000, 1024, -2);
        post(negative).statusCode(400).body("errors.field", containsInAnyOrder("priority", "cpuMillis", "gpus"))
                .body("errors.find { it.field == 'gpus' }.message", equalTo("must be >= 0, was -2"));
        Map<String, Object> absurdGpus = request(session(), 0, 1000, 1024, 100_000);
        post(absurdGpus).statusCode(400).body("errors.field", equalTo(List.of("gpus")))
                .body("errors[0].message", containsString("absurd"));
        // Nothing of it was admitted.
        given().get("/allocations?pool=" + SmallPoolProfile.POOL).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void poolsReportCapacityUseAndWhichGpusAreFree() {
        post(request(session(), 0, 1000, 1024, 2)).statusCode(201);
        post(request(session(), 0, 500, 512, 1)).statusCode(201);
        post(request(session(), 0, 3000, 1024, 0)).statusCode(202);
        given().get("/resources/pools/{p}", SmallPoolProfile.POOL).then().statusCode(200)
                .body("capacity.cpuMillis", equalTo(4000)).body("capacity.memoryMb", equalTo(8192)).body("capacity.gpus", equalTo(4))
                .body("used.cpuMillis", equalTo(1500)).body("used.memoryMb", equalTo(1536)).body("used.gpus", equalTo(3))
                .body("free.cpuMillis", equalTo(2500)).body("free.memoryMb", equalTo(6656)).body("free.gpus", equalTo(1))
                .body("gpuIndices", equalTo(List.of(0, 1, 2, 3)))
                .body("freeGpuIndices", equalTo(List.of(3)))
                .body("granted", equalTo(2)).body("queued", equalTo(1));
        given().get("/resources/pools").then().statusCode(200)
                .body("find { it.name == 'small' }.used.gpus", equalTo(3));
    }

    @Test
    void aSessionHasAtMostOneLiveAllocation() {
        String s = session();
        String first = post(request(s, 0, 1000, 1024, 0)).statusCode(201).extract().path("id");
        post(request(s, 0, 1000, 1024, 0)).statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString(first))
                .body("state", equalTo("granted"));
        given().delete("/allocations/{id}", first).then().statusCode(200);
        post(request(s, 0, 1000, 1024, 0)).statusCode(201);
    }

    @Test
    void releaseIsIdempotentAndKeepsItsReason() {
        String s = session();
        String id = post(request(s, 0, 1000, 1024, 1)).statusCode(201).extract().path("id");
        String releasedAt = given().contentType(ContentType.JSON).body(Map.of("reason", "trainer exited"))
                .post("/allocations/{id}/release", id).then().statusCode(200)
                .body("state", equalTo("released")).body("reason", equalTo("trainer exited"))
                .body("releasedAt", notNullValue()).extract().path("releasedAt");
        given().delete("/allocations/{id}", id).then().statusCode(200)
                .body("state", equalTo("released")).body("reason", equalTo("trainer exited"))
                .body("releasedAt", equalTo(releasedAt));
        given().get("/allocations?state=released&session=" + s).then().statusCode(200)
                .body("id", equalTo(List.of(id))).body("[0].gpuIndices", equalTo(List.of(0)));
        given().get("/allocations?session=" + s).then().statusCode(200).body("$", hasSize(0));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(EventLog.of(redis, s, EventType.ALLOCATION_RELEASED)).singleElement()
                        .satisfies(e -> assertThat(e.reason()).isEqualTo("trainer exited")));
    }

    @Test
    void cancellingAQueuedRequestLetsTheNextOneStart() {
        String holder = post(request(session(), 0, 3000, 1024, 0)).statusCode(201).extract().path("id");
        String big = post(request(session(), 100, 2000, 1024, 0)).statusCode(202).extract().path("id");
        String small = post(request(session(), 0, 1000, 1024, 0)).statusCode(202)
                .body("reason", equalTo("free resources are held for the requests ahead; 1 request ahead"))
                .extract().path("id");
        given().delete("/allocations/{id}", big).then().statusCode(200)
                .body("state", equalTo("released")).body("reason", equalTo("cancelled while queued"))
                .body("grantedAt", nullValue());
        given().get("/allocations/{id}", small).then().body("state", equalTo("granted"));
        given().delete("/allocations/{id}", holder).then().statusCode(200);
    }

    @Test
    void unknownAllocationsAreNotFound() {
        given().get("/allocations/{id}", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        given().get("/allocations/{id}", "not-an-id").then().statusCode(404);
        given().delete("/allocations/{id}", UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).post("/allocations/{id}/release", "x").then().statusCode(404);
    }

    @Test
    void theApiIsDescribedInOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItems("/allocations", "/allocations/{id}", "/allocations/{id}/release", "/estimate",
                        "/resources/pools", "/resources/pools/{name}", "/system/status"));
    }

    @Test
    void listParametersAreChecked() {
        given().get("/allocations?state=bogus").then().statusCode(400).body("errors.field", equalTo(List.of("state")));
        given().get("/allocations?limit=0").then().statusCode(400).body("errors.field", equalTo(List.of("limit")));
        given().get("/allocations?state=granted,queued&limit=5").then().statusCode(200);
    }
}
