package io.keisei.gateway;

import io.agroal.api.AgroalDataSource;
import io.keisei.gateway.audit.AuditLog;
import io.keisei.gateway.auth.TokenHashing;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * What an outside tester found probing the gateway as a careless or hostile client: odd input gets a
 * 400 problem naming the parameter (never a 500, a 404 or a Java class name), and the audit log
 * keeps every call of a known caller however many unauthenticated ones arrive. The gateway runs
 * alone here: checks that must happen before any downstream call are visible as 400 instead of 503.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class GatewayHardeningTest {

    static final String ADMIN = GatewayApiTest.ADMIN;

    @Inject
    AgroalDataSource db;
    @Inject
    AuditLog audit;

    /** RestAssured would encode %00 again; these requests send the query exactly as written. */
    static Response rawGet(String pathAndQuery) {
        return given().header("Authorization", ADMIN).urlEncodingEnabled(false).get(pathAndQuery);
    }

    @Test
    void controlCharactersInParametersAre400ProblemsNotServerErrors() {
        for (String q : List.of("/api/v1/sessions?owner=%00", "/api/v1/models?session=%00", "/api/v1/audit?actor=%00",
                "/api/v1/games/g1?session=%00", "/api/v1/sessions?state=run%0Aning")) {
            Response r = rawGet(q);
            assertThat(r.statusCode()).as(q).isEqualTo(400);
            assertThat(r.contentType()).as(q).startsWith("application/problem+json");
            assertThat(r.jsonPath().getString("errors[0].message")).as(q).contains("control characters");
        }
    }

    @Test
    void aNumberThatIsNotANumberIsA400NamingTheParameter() {
        rawGet("/api/v1/audit?limit=abc").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit")).body("detail", containsString("integer"));
        rawGet("/api/v1/audit?limit=99999999999999999999").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        rawGet("/api/v1/audit?limit=5000").then().statusCode(400);
    }

    @Test
    void malformedJsonSaysWhereAndNeverNamesAJavaClass() {
        for (String body : List.of("{\"name\":", "{\"name\": \"x\",\n }", "[1,2]", "\"text\"", "{\"name\": {\"a\": 1}}",
                "{\"name\": \"x\", \"role\": [\"viewer\"]}", "nul", "{\"name\" \"x\"}")) {
            Response r = given().header("Authorization", ADMIN).contentType("application/json").body(body)
                    .post("/api/v1/auth/tokens");
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(r.contentType()).as(body).startsWith("application/problem+json");
            String detail = r.jsonPath().getString("detail");
            assertThat(detail).as(body).isNotBlank().isNotEqualTo("HTTP 400 Bad Request")
                    .doesNotContain("io.keisei", "java.", "$");
        }
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"name\": \"x\",\n }")
                .post("/api/v1/auth/tokens").then().body("detail", containsString("line 2"));
    }

    @Test
    void tooLongUrisAndTooLargeBodiesAreProblemsWithAReason() {
        Response longUri = rawGet("/api/v1/sessions?owner=" + "a".repeat(10_000));
        assertThat(longUri.statusCode()).isEqualTo(414);
        assertThat(longUri.contentType()).startsWith("application/problem+json");
        assertThat(longUri.jsonPath().getString("detail")).contains("8192");
        for (int megabytes : new int[]{2, 16}) {
            Response big = given().header("Authorization", ADMIN).contentType("application/json")
                    .body("{\"name\":\"" + "x".repeat(megabytes * 1024 * 1024) + "\"}").post("/api/v1/auth/tokens");
            assertThat(big.statusCode()).as(megabytes + " MB").isEqualTo(413);
            assertThat(big.contentType()).as(megabytes + " MB").startsWith("application/problem+json");
            assertThat(big.jsonPath().getString("detail")).contains("at most");
        }
        given().header("Authorization", ADMIN).get("/api/v1/auth/me").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDeclaresTheBearerScheme() {
        String doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        Map<String, Object> scheme = io.restassured.path.json.JsonPath.from(doc).getMap("components.securitySchemes.bearer");
        assertThat(scheme).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat(io.restassured.path.json.JsonPath.from(doc).getList("security.bearer")).isNotNull();
    }

    @Test
    void everyAuthenticatedWriteIsAuditedWhileUnauthenticatedFloodsAreCounted() {
        String trainer = GatewayApiTest.createToken("flood-watcher", "trainer");
        int flood = 3_000;
        Thread flooder = new Thread(() -> {
            for (int i = 0; i < flood; i++) {
                given().header("Authorization", "Bearer not-a-token-" + (i % 7)).post("/api/v1/sessions/s" + (i % 3) + "/stop");
            }
        });
        flooder.start();
        // Five real calls during the flood: each must have its own row.
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + trainer).post("/api/v1/sessions/mine-" + i + "/checkpoint");
        }
        given().header("Authorization", "Bearer " + trainer).urlEncodingEnabled(false)
                .post("/api/v1/sessions/odd%00path/stop");
        await().atMost(Duration.ofSeconds(60)).until(() -> !flooder.isAlive());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Map<String, Object>> mine = given().header("Authorization", ADMIN)
                    .get("/api/v1/audit?actor=flood-watcher&limit=100").then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(mine).extracting(m -> (String) m.get("path"))
                    .contains("/api/v1/sessions/mine-0/checkpoint", "/api/v1/sessions/mine-4/checkpoint",
                            "/api/v1/sessions/odd\\x00path/stop");
            List<Map<String, Object>> all = given().header("Authorization", ADMIN)
                    .get("/api/v1/audit?limit=1000").then().statusCode(200).extract().jsonPath().getList("$");
            long refusedRows = all.stream().filter(m -> m.get("actor") == null && ((String) m.get("path")).matches(
                    "/api/v1/sessions/s[012]/stop")).count();
            long refusedCount = all.stream().filter(m -> m.get("actor") == null && ((String) m.get("path")).matches(
                    "/api/v1/sessions/s[012]/stop")).mapToLong(m -> ((Number) m.get("count")).longValue()).sum();
            // 3 paths, one status, within at most two minutes: a handful of rows stand for every refused request.
            assertThat(refusedRows).isBetween(3L, 6L);
            assertThat(refusedCount).isEqualTo(flood);
        });
    }

    @Test
    void auditRowsOlderThanTheRetentionWindowAreDeleted() throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO gateway.audit_log (at, actor, method, path, status, millis) VALUES "
                    + "(now() - interval '91 days', 'retention-old', 'POST', '/old', 200, 1), "
                    + "(now() - interval '89 days', 'retention-kept', 'POST', '/kept', 200, 1)");
        }
        assertThat(audit.deleteOlderThan(Duration.ofDays(90))).isGreaterThanOrEqualTo(1);
        given().header("Authorization", ADMIN).get("/api/v1/audit?actor=retention-old").then().statusCode(200)
                .body("size()", equalTo(0));
        given().header("Authorization", ADMIN).get("/api/v1/audit?actor=retention-kept").then().statusCode(200)
                .body("size()", equalTo(1));
    }

    @Test
    void anUnknownTokenIsRefusedFromMemoryWithoutAskingTheDatabaseAgain() throws Exception {
        String token = "ksk_never-issued-" + System.nanoTime();
        given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().statusCode(401);
        // The same token now appears in the database (as only a hand-made row could): a second lookup would let
        // it in, so a 401 shows the answer came from the negative cache.
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO gateway.api_tokens (id, name, owner, role, token_hash, created_at) VALUES ('neg-"
                    + System.nanoTime() + "', 'neg', 'neg', 'viewer', '" + TokenHashing.sha256(token) + "', now())");
        }
        given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().statusCode(401);
    }
}
