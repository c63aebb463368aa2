package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client sending bad or missing tokens gets a budget per address, then 429 with Retry-After
 * without a token lookup; callers whose token this replica just verified keep working.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
@TestProfile(FailedAuthBudgetTest.SmallBudget.class)
class FailedAuthBudgetTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keisei.gateway.auth.failures-per-address", "5", "keisei.gateway.auth.failure-window", "4s");
        }
    }

    @Test
    void badTokensSpendTheAddressBudgetThen429WithRetryAfter() {
        // The admin's token is verified once before the flood, so this replica knows it.
        given().header("Authorization", GatewayApiTest.ADMIN).get("/api/v1/auth/me").then().statusCode(200);
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer guess-" + i + "-0123456789").get("/api/v1/auth/me").then().statusCode(401);
        }
        Response refused = given().header("Authorization", "Bearer guess-6-0123456789").get("/api/v1/auth/me");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 4);
        given().get("/api/v1/auth/me").then().statusCode(429); // no token at all counts the same
        // A known caller from the same address is not locked out.
        given().header("Authorization", GatewayApiTest.ADMIN).get("/api/v1/auth/me").then().statusCode(200);
        // The window ends: bad tokens are answered 401 again.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() ->
                given().header("Authorization", "Bearer guess-7-0123456789").get("/api/v1/auth/me").statusCode() == 401);
    }
}
