package io.keisei.resource;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class ResourceInventoryResourceTest {

    @Test
    void hostReportsWhatTheJvmSees() {
        int cores = Runtime.getRuntime().availableProcessors();
        given().get("/resources/host").then().statusCode(200)
                .body("cpuCores", equalTo(cores))
                .body("cpuMillis", greaterThan(0))
                .body("memoryMb", greaterThan(0));
    }

    @Test
    void localHostIsRegisteredAsTheDefaultPool() {
        given().get("/resources/pools").then().statusCode(200)
                .body("find { it.name == 'local' }.kind", equalTo("local"))
                .body("find { it.name == 'local' }.capacity.gpus", equalTo(0))
                .body("find { it.name == 'local' }.capacity.cpuMillis", greaterThan(0))
                .body("find { it.name == 'local' }.freeGpuIndices", hasSize(0));
        given().get("/resources/pools/local").then().statusCode(200).body("name", equalTo("local"));
        given().get("/resources/pools/no-such-pool").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void wellnessChecksDatabaseAndRedisAndReadinessDoesNot() {
        // Degraded, not dead: a dependency that is down makes /q/health/well DOWN, never readiness.
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", not(hasItems("Database connections health check")))
                .body("checks.name", not(hasItems("Redis connection health check")));
        given().get("/q/health/well").then()
                .body("checks.find { it.name == 'postgresql' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"));
    }
}
