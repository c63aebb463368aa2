package io.keisei.resource;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.EventType;
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

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

/** Per-role quotas (trainer 2 sessions and 24 GPU-hours a day, researcher 1 and 8, viewer none, admin unlimited). */
@QuarkusTest
@TestProfile(PolicyProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class QuotaTest {

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

    static ValidatableResponse request(String owner, String role, String session, long cpu, int gpus) {
        return given().contentType(ContentType.JSON).body(Map.of("session", session, "owner", owner, "role", role,
                "priority", 0, "cpuMillis", cpu, "memoryMb", 256, "gpus", gpus)).post("/allocations").then();
    }

    static String session() {
        return "q-" + UUID.randomUUID();
    }

    static String owner() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTrainersThirdSessionWaitsForTheQuotaAndStartsWhenOneOfTheFirstTwoEnds() {
        String alice = owner();
        String first = request(alice, "trainer", session(), 500, 0).statusCode(201).extract().path("id");
        request(alice, "trainer", session(), 500, 0).statusCode(201);
        String thirdSession = session();
        String third = request(alice, "trainer", thirdSession, 500, 0).statusCode(202)
                .body("state", equalTo("queued"))
                .body("reason", equalTo("quota: 2 of 2 concurrent sessions in use"))
                .body("queuePosition", equalTo(1))
                .extract().path("id");
        // The quota holds alice back, not the pool: another trainer starts at once.
        String bobs = request(owner(), "trainer", session(), 500, 0).statusCode(201).extract().path("id");
        given().get("/allocations/{id}", third).then().body("reason", equalTo("quota: 2 of 2 concurrent sessions in use"));

        given().delete("/allocations/{id}", first).then().statusCode(200);
        given().get("/allocations/{id}", third).then().body("state", equalTo("granted"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(EventLog.of(redis, thirdSession, EventType.ALLOCATION_GRANTED)).hasSize(1));
        given().delete("/allocations/{id}", bobs).then().statusCode(200);
    }

    @Test
    void parallelRequestsOfOneTrainerNeverRunMoreThanTheQuota() throws Exception {
        String grace = owner();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> request(grace, "trainer", session(), 100, 0).extract().statusCode()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<Integer> c : calls) {
            statuses.add(c.get(60, TimeUnit.SECONDS));
        }
        assertThat(statuses).containsOnly(201, 202);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(2);
        given().get("/allocations?state=granted&pool=" + SmallPoolProfile.POOL).then()
                .body("findAll { it.owner == '" + grace + "' }", hasSize(2));
        given().get("/allocations?state=queued&pool=" + SmallPoolProfile.POOL).then()
                .body("findAll { it.owner == '" + grace + "' }.reason", everyItem(equalTo("quota: 2 of 2 concurrent sessions in use")));
    }

    @Test
    void aResearcherRunsOneSessionAtATime() {
        String carol = owner();
        request(carol, "researcher", session(), 500, 0).statusCode(201);
        request(carol, "researcher", session(), 500, 0).statusCode(202)
                .body("reason", equalTo("quota: 1 of 1 concurrent sessions in use"));
    }

    @Test
    void aViewerMayNotRunSessions() {
        String s = session();
        request(owner(), "viewer", s, 500, 0).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("role 'viewer' may not run sessions"));
        given().get("/allocations?session=" + s + "&state=queued,granted,released").then().body("$", hasSize(0));
    }

    @Test
    void anAdminHasNoLimit() {
        String root = owner();
        for (int i = 0; i < 5; i++) {
            request(root, "admin", session(), 500, 1 - i % 2).statusCode(201);
        }
    }

    @Test
    void gpuHoursOfTheLast24HoursAreCountedFromGrantAndReleaseTimes() throws Exception {
        Instant now = Instant.now();
        String dave = owner();
        // 3 GPUs from 10 h ago to 1 h ago: 27 GPU-hours, over the trainer's 24.
        history(dave, "trainer", 3, now.minus(Duration.ofHours(10)), now.minus(Duration.ofHours(1)));
        request(dave, "trainer", session(), 500, 1).statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("has used 27.0 of 24 GPU-hours in the last 24 h"));
        // CPU-only sessions use no GPU-hours.
        request(dave, "trainer", session(), 500, 0).statusCode(201);

        // Only the part inside the window counts: 2 GPUs from 30 h to 14 h ago = 2 x 10 h = 20 GPU-hours.
        String erin = owner();
        history(erin, "trainer", 2, now.minus(Duration.ofHours(30)), now.minus(Duration.ofHours(14)));
        request(erin, "trainer", session(), 500, 1).statusCode(201);

        // A researcher's 8 GPU-hours: exactly used up means none left.
        String frank = owner();
        history(frank, "researcher", 1, now.minus(Duration.ofHours(9)), now.minus(Duration.ofHours(1)));
        request(frank, "researcher", session(), 500, 1).statusCode(422)
                .body("detail", containsString("of 8 GPU-hours"));
        request(owner(), "viewer", session(), 500, 1).statusCode(403);
    }

    /** A past, released allocation of {@code owner}: history that the GPU-hour quota reads. */
    void history(String owner, String role, int gpus, Instant granted, Instant released) throws Exception {
        String sql = """
                INSERT INTO resource.allocations (id, session, owner, role, priority, pool, state, cpu_millis, memory_mb, gpus,
                    gpu_indices, reason, created_at, granted_at, released_at)
                VALUES (?, ?, ?, ?, 0, ?, 'released', 1000, 1024, ?, ?, 'session.completed', ?, ?, ?)""";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, session());
            ps.setString(3, owner);
            ps.setString(4, role);
            ps.setString(5, SmallPoolProfile.POOL);
            ps.setInt(6, gpus);
            Integer[] indices = new Integer[gpus];
            for (int i = 0; i < gpus; i++) {
                indices[i] = i;
            }
            ps.setArray(7, c.createArrayOf("integer", indices));
            ps.setTimestamp(8, Timestamp.from(granted.minusSeconds(1)));
            ps.setTimestamp(9, Timestamp.from(granted));
            ps.setTimestamp(10, Timestamp.from(released));
            ps.executeUpdate();
        }
    }
}
