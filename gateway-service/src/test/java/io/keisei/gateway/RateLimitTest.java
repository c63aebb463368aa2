package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-token rate limits: beyond the budget, 429 problem+json with Retry-After; other tokens are unaffected. */
@QuarkusTest
@TestProfile(RateLimitTest.Tight.class)
@WithTestResource(KeiseiInfraResource.class)
class RateLimitTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keisei.gateway.rate-limit.per-second", "5");
        }
    }

    @Test
    void aBurstBeyondTheBudgetGets429WithRetryAfterAndOtherTokensStillWork() {
        String other = GatewayApiTest.createToken("quiet-" + System.nanoTime() % 100000, "viewer");
        List<Integer> statuses = new ArrayList<>();
        io.restassured.response.Response limited = null;
        for (int i = 0; i < 30 && limited == null; i++) {
            io.restassured.response.Response r = given().header("Authorization", GatewayApiTest.ADMIN).get("/api/v1/auth/me");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                limited = r;
            }
        }
        assertThat(limited).as("statuses %s", statuses).isNotNull();
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.jsonPath().getString("detail")).contains("5 requests per second");
        given().header("Authorization", "Bearer " + other).get("/api/v1/auth/me").then().statusCode(200);
    }
}
