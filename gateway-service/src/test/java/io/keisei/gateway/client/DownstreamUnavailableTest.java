package io.keisei.gateway.client;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.keisei.gateway.client.DownstreamCredentialTest.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

/**
 * An internal service that answers 503 (its database or Redis is down) is unavailable for the gateway's
 * client too: 503 with the service's Retry-After, or the gateway's own when it sent none; never a 502.
 * Typed reads (the resources overview) and forwarded calls (the system status) alike.
 */
@QuarkusTest
@WithTestResource(DownstreamCredentialTest.FakeInternalServices.class)
class DownstreamUnavailableTest {

    static String gatewayRetryAfter() {
        Duration delay = ConfigProvider.getConfig().getOptionalValue("keisei.gateway.services.circuit-breaker.delay", Duration.class)
                .orElse(Duration.ofSeconds(5));
        return String.valueOf(Math.max(1, delay.toSeconds()));
    }

    @AfterEach
    void recover() {
        DownstreamCredentialTest.FakeInternalServices.unavailable.clear();
    }

    @Test
    void aTypedReadAnswered503Is503WithTheServicesRetryAfter() {
        DownstreamCredentialTest.FakeInternalServices.unavailable.put("/resources/pools", "7");
        asAdmin().get("/api/v1/resources").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("status", equalTo(503))
                .body("detail", containsString("resource-service is temporarily unavailable"));
    }

    @Test
    void aTypedReadAnswered503WithoutRetryAfterGetsTheGatewaysOwn() {
        DownstreamCredentialTest.FakeInternalServices.unavailable.put("/resources/pools", "");
        asAdmin().get("/api/v1/resources").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", gatewayRetryAfter());
    }

    @Test
    void aForwardedCallAnswered503IsPassedOnWithItsRetryAfter() {
        DownstreamCredentialTest.FakeInternalServices.unavailable.put("/system/status", "9");
        asAdmin().get("/api/v1/system/status").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "9")
                .body("detail", equalTo("the database is unavailable; try again shortly"));
    }

    @Test
    void aForwardedCallAnswered503WithoutRetryAfterGetsTheGatewaysOwn() {
        DownstreamCredentialTest.FakeInternalServices.unavailable.put("/system/status", "");
        asAdmin().get("/api/v1/system/status").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", gatewayRetryAfter())
                .body("detail", equalTo("the database is unavailable; try again shortly"));
        // Not a transport failure: the breaker stays closed and the next call goes through.
        DownstreamCredentialTest.FakeInternalServices.unavailable.clear();
        asAdmin().get("/api/v1/system/status").then().statusCode(200);
    }

    @Test
    void aHungServiceIsRefusedAtOnceOnceItsLivenessFailsTooAndCalledAgainWhenItAnswers() {
        DownstreamCredentialTest.FakeInternalServices.hang = new java.util.concurrent.CountDownLatch(1);
        try {
            // The first call waits out the read timeout; the liveness probe it starts gets no answer either.
            asAdmin().get("/api/v1/system/status").then().statusCode(503)
                    .header("Retry-After", gatewayRetryAfter())
                    .body("detail", containsString("did not answer within"));
            // From then on the service is not called at all: the refusal says why.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    asAdmin().get("/api/v1/system/status").then().statusCode(503)
                            .header("Retry-After", gatewayRetryAfter())
                            .body("detail", containsString("is not answering (stalled for")));
        } finally {
            DownstreamCredentialTest.FakeInternalServices.hang.countDown();
            DownstreamCredentialTest.FakeInternalServices.hang = null;
        }
        // It answers again: the probe notices and calls go through.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                asAdmin().get("/api/v1/system/status").then().statusCode(200));
    }
}
