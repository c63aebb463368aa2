package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class GatewayFoundationTest {

    @Test
    void theBootstrapAdminTokenAuthenticatesAsAdmin() {
        given().header("Authorization", "Bearer test-admin-token-0123456789")
                .get("/api/v1/auth/me").then().statusCode(200)
                .body("role", equalTo("admin"))
                .body("tokenId", equalTo("bootstrap-admin"))
                .body(org.hamcrest.Matchers.not(containsString("test-admin-token")));
    }

    @Test
    void missingOrWrongTokensAre401Problems() {
        given().get("/api/v1/auth/me").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong-token-wrong-token").get("/api/v1/auth/me").then().statusCode(401)
                .body("detail", equalTo("unknown or revoked token"));
    }

    @Test
    void downstreamServicesThatAreNotRunningShowAsUnreachableQuickly() {
        // In this test only the gateway runs; nothing listens on the configured service ports.
        given().get("/api/v1/system/services").then().statusCode(200)
                .body("'training-service'.status", org.hamcrest.Matchers.oneOf("UNREACHABLE", "DOWN"))
                .body("'metrics-service'.millis", org.hamcrest.Matchers.lessThan(5000));
    }

    @Test
    void readinessAndStatusPage() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "Redis connection health check"));
        given().get("/").then().statusCode(200).body(containsString("Keisei Web UI"));
    }
}
