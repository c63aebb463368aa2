package io.keisei.metrics;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static io.keisei.testsupport.TestServiceCredential.TOKEN;
import static io.keisei.testsupport.TestServiceCredential.assertRefused;
import static io.keisei.testsupport.TestServiceCredential.call;
import static org.assertj.core.api.Assertions.assertThat;

/** metrics-service answers only callers with the service credential; the health probes stay open. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class ServiceCredentialTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRouteButHealthNeedsTheCredential() {
        for (String path : new String[]{"/sessions/s-1/metrics/latest", "/sessions/s-1/events", "/games/g-1", "/q/metrics",
                "/q/openapi"}) {
            assertRefused(call(base, "GET", path, null));
            assertRefused(call(base, "GET", path, "wrong-credential-wrong-credential"));
        }
        assertThat(call(base, "GET", "/q/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/sessions/s-1/metrics/latest", TOKEN).statusCode()).isEqualTo(200);
        assertThat(call(base, "GET", "/q/metrics", TOKEN).statusCode()).isEqualTo(200);
    }
}
