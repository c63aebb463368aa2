package io.keisei.metrics;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** Health (database and Redis in wellness), Prometheus with latency histograms, OpenAPI, problem+json. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class PlatformEndpointsTest {

    @Test
    void wellnessChecksDatabaseAndRedisAndReadinessDoesNot() {
        // Degraded, not dead: a dependency that is down makes /q/health/well DOWN, never readiness (OutageTest).
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Database connections health check")))
                .body("checks.name", not(hasItems("Redis connection health check")));
        given().get("/q/health/well").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("postgresql", "redis"));
    }

    @Test
    void prometheusExposesHttpLatencyHistograms() {
        given().get("/sessions/any/metrics/latest").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket"))
                .body(containsString("quantile=\"0.99\""));
    }

    @Test
    void openApiDescribesTheService() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", containsString("metrics-service"))
                .body("paths", org.hamcrest.Matchers.hasKey("/sessions/{session}/metrics/latest"));
    }

    @Test
    void unknownPathsAnswerProblemJson() {
        given().get("/no/such/thing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
