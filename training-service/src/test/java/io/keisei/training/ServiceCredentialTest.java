package io.keisei.training;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static io.keisei.testsupport.TestServiceCredential.TOKEN;
import static io.keisei.testsupport.TestServiceCredential.assertRefused;
import static io.keisei.testsupport.TestServiceCredential.call;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * training-service answers only callers with the service credential, and sends it itself: resource-service
 * (a packaged process that requires it) grants its allocations.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class ServiceCredentialTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteButHealthNeedsTheCredential() {
        String[][] calls = {{"POST", "/sessions"}, {"GET", "/sessions"}, {"GET", "/models/x/download"}, {"POST", "/sessions/x/start"},
                {"GET", "/config/templates"}, {"GET", "/q/metrics"}, {"GET", "/q/openapi"}};
        for (String[] c : calls) {
            assertRefused(call(base, c[0], c[1], null));
            assertRefused(call(base, c[0], c[1], "wrong-credential-wrong-credential"));
        }
        assertThat(call(base, "GET", "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/health/started", null).statusCode()).isEqualTo(200);
        // Redis and PostgreSQL are checked in wellness (degraded, not dead), open like every probe.
        assertThat(call(base, "GET", "/q/health/well", null).body()).contains("\"redis\"", "\"postgresql\"");
        assertThat(call(base, "GET", "/sessions", TOKEN).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/models/x/download", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void allocationsGoThroughAResourceServiceThatRequiresTheCredential() {
        URI resourceService = URI.create(WithResourceService.resourceServiceUrl());
        assertRefused(call(resourceService, "POST", "/allocations", null));
        assertThat(call(resourceService, "GET", "/q/health/ready", null).statusCode()).isEqualTo(200);

        String id = SessionLifecycleTest.create("credential");
        // Without the credential resource-service would refuse the allocation and the start would fail (502).
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        assertThat(SessionLifecycleTest.activeAllocations(id)).isEqualTo(1);
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> SessionLifecycleTest.activeAllocations(id) == 0);
    }
}
