package io.keisei.training;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.api.SessionRules;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.keisei.training.SessionLifecycleTest.TINY;
import static io.keisei.training.SessionLifecycleTest.awaitState;
import static io.keisei.training.SessionLifecycleTest.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * A session names the resource pool its trainer runs in: stored with it, sent in its allocation request to a real
 * resource-service (whose one local pool, {@code local}, is the default), refused there when no such pool exists.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class SessionPoolTest {

    /** resource-service's pool in local mode, the default one: what a session without a pool is allocated from. */
    static final String DEFAULT_POOL = "local";

    @Inject
    AgroalDataSource db;

    static String create(String name, String pool) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"owner\":\"alice\",\"template\":\"quick-cpu\",\"pool\":\"" + pool
                        + "\",\"config\":" + TINY + "}")
                .post("/sessions").then().statusCode(201).body("pool", equalTo(pool)).extract().path("id");
    }

    /** The active allocations resource-service holds for a session: the pool each is in. */
    static List<String> allocationPools(String session) {
        return given().baseUri(WithResourceService.resourceServiceUrl()).queryParam("session", session)
                .get("/allocations").then().statusCode(200).extract().jsonPath().getList("pool", String.class);
    }

    /**
     * What resource-service's discovery records for a pool (cluster mode: a node labelled keisei.io/pool=name), written
     * into its table directly: locally it discovers only this host, and a pool other than the default is the point here.
     */
    void poolAppears(String name) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO resource.pools (name, kind, cpu_millis, memory_mb, gpu_count, discovered_at) "
                        + "VALUES (?, 'kubernetes', 4000, 8192, 0, now())")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
    }

    @Test
    void aSessionsPoolIsWhereItsAllocationIsAskedForAndAnUnknownOneIsA400NamingIt() throws SQLException {
        String pool = "pool-" + unique();
        String id = create("pooled", pool);
        given().get("/sessions/{id}", id).then().statusCode(200).body("pool", equalTo(pool));

        // No such pool yet: resource-service refuses the request, the caller gets its 400 naming the pool, not a 500.
        given().post("/sessions/{id}/start", id).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("unknown pool '" + pool + "'"))
                .body("errors[0].field", equalTo("pool"))
                .body("errors[0].message", containsString(pool));
        // The attempt failed cleanly: the reason says why, nothing is held, and the session can be resumed.
        given().get("/sessions/{id}", id).then().body("state", equalTo("failed"))
                .body("stateReason", containsString("unknown pool '" + pool + "'"));
        given().get("/sessions/{id}/attempts", id).then().body("[0].allocationId", nullValue())
                .body("[0].endedAt", org.hamcrest.Matchers.notNullValue());
        assertThat(allocationPools(id)).isEmpty();

        // Once the pool exists (a node is labelled), a resume is allocated from it, not from the default pool.
        poolAppears(pool);
        given().post("/sessions/{id}/resume", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        assertThat(allocationPools(id)).containsExactly(pool);

        given().post("/sessions/{id}/pause", id).then().statusCode(200);
        awaitState(id, "paused", Duration.ofSeconds(60));
        assertThat(allocationPools(id)).isEmpty();

        // A fork trains on in its model's pool unless it names another; the name is checked as a create's.
        String model = given().get("/sessions/{id}", id).path("latestCheckpointId");
        given().contentType(ContentType.JSON).body(Map.of("owner", "alice")).post("/models/{m}/fork", model)
                .then().statusCode(201).body("pool", equalTo(pool));
        given().contentType(ContentType.JSON).body(Map.of("owner", "alice", "pool", DEFAULT_POOL)).post("/models/{m}/fork", model)
                .then().statusCode(201).body("pool", equalTo(DEFAULT_POOL));
        given().contentType(ContentType.JSON).body(Map.of("owner", "alice", "pool", "not a pool")).post("/models/{m}/fork", model)
                .then().statusCode(400).body("errors[0].field", equalTo("pool"));
    }

    @Test
    void aSessionWithoutAPoolIsAllocatedFromTheDefaultOne() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"unpooled\",\"owner\":\"alice\",\"template\":\"quick-cpu\",\"config\":" + TINY + "}")
                .post("/sessions").then().statusCode(201).body("pool", nullValue()).extract().path("id");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        assertThat(allocationPools(id)).containsExactly(DEFAULT_POOL);
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        awaitState(id, "stopped", Duration.ofSeconds(60));
    }

    @Test
    void aPoolMustBeALabelValue() {
        for (String bad : List.of("-h100", "h100-", "h 100", "h100/x", "プール", "p".repeat(SessionRules.POOL_MAX_LENGTH + 1))) {
            given().contentType(ContentType.JSON).body(Map.of("name", "x", "owner", "bob", "pool", bad))
                    .post("/sessions").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("pool"));
        }
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "owner", "bob", "pool", "-h100"))
                .post("/sessions").then().body("errors[0].message", equalTo(SessionRules.POOL_RULE));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "owner", "bob", "pool", "gpu.a100-80g_x8"))
                .post("/sessions").then().statusCode(201).body("pool", equalTo("gpu.a100-80g_x8"));
    }
}
