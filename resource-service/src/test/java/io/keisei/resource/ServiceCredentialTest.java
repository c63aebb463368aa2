package io.keisei.resource;

import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.TestServiceCredential;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;

import static io.keisei.testsupport.TestServiceCredential.TOKEN;
import static io.keisei.testsupport.TestServiceCredential.call;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * resource-service answers only callers with the service credential: its API and Quarkus' own routes
 * (metrics, OpenAPI) alike; the health probes stay open.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class ServiceCredentialTest {

    @TestHTTPResource("/")
    URI base;

    static void assertRefused(HttpResponse<String> r, String detail) {
        TestServiceCredential.assertRefused(r, "\"status\":401", detail);
    }

    @Test
    void withoutTheCredentialEveryRouteButHealthIs401() {
        for (String[] call : new String[][]{{"POST", "/allocations"}, {"GET", "/allocations/x"}, {"GET", "/resources/pools"},
                {"GET", "/system/status"}, {"GET", "/q/metrics"}, {"GET", "/q/openapi"}, {"GET", "/q/health/../metrics"}}) {
            assertRefused(call(base, call[0], call[1], null), "send the service credential");
        }
        assertThat(call(base, "GET", "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/health/live", null).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongCredentialIs401AndTheRightOnePasses() {
        assertRefused(call(base, "POST", "/allocations", "x".repeat(TOKEN.length())), "does not hold this suite's service credential");
        assertRefused(call(base, "GET", "/q/metrics", TOKEN + "x"), "does not hold");
        assertRefused(call(base, "GET", "/q/metrics", ""), "does not hold");

        assertThat(call(base, "GET", "/resources/pools", TOKEN).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/metrics", TOKEN).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/openapi", TOKEN).statusCode()).isEqualTo(200);
        // past the credential, the API's own answers: an empty request is invalid, not unauthorized
        assertThat(call(base, "POST", "/allocations", TOKEN).statusCode()).isEqualTo(400);
    }
}
