package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The gateway on its own (no internal service runs): tokens and roles, audit, problem+json for
 * downstream failures, the web shell. Calls through the real services are in GatewayThroughSuiteIT.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class GatewayApiTest {

    static final String ADMIN = "Bearer test-admin-token-0123456789";

    static String createToken(String name, String role) {
        return given().header("Authorization", ADMIN).contentType("application/json")
                .body("{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}")
                .post("/api/v1/auth/tokens").then().statusCode(201)
                .body("role", equalTo(role)).body("owner", equalTo(name)).body("token", notNullValue())
                .extract().path("token");
    }

    @Test
    void theBootstrapAdminTokenAuthenticatesAsAdminWithEveryPermission() {
        given().header("Authorization", ADMIN).get("/api/v1/auth/me").then().statusCode(200)
                .body("role", equalTo("admin"))
                .body("tokenId", equalTo("bootstrap-admin"))
                .body("permissions", hasItems("training.start", "models.delete", "users.manage"))
                .body(not(containsString("test-admin-token")));
    }

    @Test
    void missingOrWrongTokensAre401Problems() {
        given().get("/api/v1/auth/me").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong-token-wrong-token").get("/api/v1/sessions").then().statusCode(401)
                .body("detail", equalTo("unknown or revoked token"));
    }

    @Test
    void tokensAreCreatedOnceListedWithoutSecretsAndRevoked() {
        String token = createToken("carol", "researcher");
        given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().statusCode(200)
                .body("role", equalTo("researcher"))
                .body("permissions", hasItems("training.monitor", "models.read", "models.export"))
                .body("permissions", not(hasItem("training.start")));
        String listed = given().header("Authorization", ADMIN).get("/api/v1/auth/tokens").then().statusCode(200)
                .body("name", hasItem("carol")).extract().asString();
        assertThat(listed).doesNotContain(token);
        // A non-admin sees only their own tokens.
        given().header("Authorization", "Bearer " + token).get("/api/v1/auth/tokens").then().statusCode(200)
                .body("owner", org.hamcrest.Matchers.everyItem(equalTo("carol")));
        String id = given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().extract().path("tokenId");
        given().header("Authorization", ADMIN).delete("/api/v1/auth/tokens/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().statusCode(401);
    }

    @Test
    void aNameWithSpacesGetsADashedOwner() {
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"name\":\"e2e viewer\",\"role\":\"viewer\"}")
                .post("/api/v1/auth/tokens").then().statusCode(201).body("owner", equalTo("e2e-viewer"));
    }

    @Test
    void rolesAreEnforcedBeforeAnyDownstreamCall() {
        String viewer = createToken("victor", "viewer");
        String trainer = createToken("tess", "trainer");
        // Viewer: no control, no token management, no deletion, no export.
        given().header("Authorization", "Bearer " + viewer).contentType("application/json").body("{\"name\":\"x\"}")
                .post("/api/v1/sessions").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("training.start"));
        given().header("Authorization", "Bearer " + viewer).post("/api/v1/sessions/abc/stop").then().statusCode(403);
        given().header("Authorization", "Bearer " + viewer).delete("/api/v1/models/m1").then().statusCode(403);
        given().header("Authorization", "Bearer " + viewer).get("/api/v1/models/m1/download").then().statusCode(403);
        given().header("Authorization", "Bearer " + viewer).contentType("application/json").body("{\"name\":\"y\",\"role\":\"admin\"}")
                .post("/api/v1/auth/tokens").then().statusCode(403);
        given().header("Authorization", "Bearer " + trainer).get("/api/v1/audit").then().statusCode(403);
        // Monitoring is allowed: it reaches the (absent) downstream service.
        given().header("Authorization", "Bearer " + viewer).get("/api/v1/sessions").then().statusCode(503);
    }

    @Test
    void badTokenRequestsGetFieldErrors() {
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"name\":\"\",\"role\":\"king\"}")
                .post("/api/v1/auth/tokens").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("name", "role"));
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"name\":")
                .post("/api/v1/auth/tokens").then().statusCode(400).contentType("application/problem+json");
        given().header("Authorization", ADMIN).get("/api/v1/sessions/..%2F..%2Fetc/status").then()
                .statusCode(org.hamcrest.Matchers.oneOf(400, 404));
    }

    @Test
    void aDownServiceGivesA503ProblemWithRetryAfterQuicklyThenTheBreakerOpens() {
        long t0 = System.nanoTime();
        Response r = given().header("Authorization", ADMIN).get("/api/v1/config/templates");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.jsonPath().getString("detail")).contains("training-service");
        for (int i = 0; i < 12; i++) {
            given().header("Authorization", ADMIN).get("/api/v1/sessions");
        }
        given().header("Authorization", ADMIN).get("/api/v1/sessions").then().statusCode(503)
                .body("detail", containsString("circuit open"));
        given().header("Authorization", ADMIN).get("/api/v1/performance").then().statusCode(200)
                .body("circuitBreakers.'training-service'", equalTo("OPEN"));
    }

    @Test
    void mutatingCallsAreAuditedIncludingRefusedOnes() {
        String viewer = createToken("auditee", "viewer");
        given().header("Authorization", "Bearer " + viewer).post("/api/v1/sessions/zz/start").then().statusCode(403);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", ADMIN).get("/api/v1/audit?actor=auditee").then().statusCode(200)
                        .body("path", hasItem("/api/v1/sessions/zz/start"))
                        .body("status", hasItem(403))
                        .body("role", hasItem("viewer")));
        given().header("Authorization", ADMIN).get("/api/v1/audit?actor=admin-never&limit=5000").then().statusCode(400);
    }

    @Test
    void performanceReportsPerEndpointFigures() {
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", ADMIN).get("/api/v1/auth/me").then().statusCode(200);
        }
        given().header("Authorization", ADMIN).get("/api/v1/performance").then().statusCode(200)
                .body("endpoints.find { it.endpoint == 'GET /api/v1/auth/me' }.count", org.hamcrest.Matchers.greaterThanOrEqualTo(5))
                .body("endpoints.find { it.endpoint == 'GET /api/v1/auth/me' }.p99Ms", notNullValue())
                .body("websocket.maxConnections", equalTo(50));
    }

    @Test
    void theDashboardShellDeepLinksAndSecurityHeaders() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        given().get("/sessions/some-id").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItem("Redis connection health check")));
        // Redis and PostgreSQL are checked in wellness: degraded, not dead, when one is down.
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'postgresql' }.status", equalTo("UP"));
    }
}
