package io.keisei.resource;

import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The packaged service has no open mode: without a usable service credential it refuses to start, saying what to set. */
class ServiceCredentialIT {

    static PackagedService.Builder resourceService() {
        return PackagedService.of("resource-service").port("KEISEI_RESOURCE_PORT").infrastructure(TestInfrastructure.get())
                .readyTimeout(Duration.ofSeconds(90));
    }

    @Test
    void withoutACredentialItRefusesToStart() {
        assertThatThrownBy(() -> resourceService().withoutServiceCredential().start().close())
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("KEISEI_SERVICE_TOKEN is not set");
    }

    @Test
    void withAShortCredentialItRefusesToStart() {
        assertThatThrownBy(() -> resourceService().env("KEISEI_SERVICE_TOKEN", "changeme").start().close())
                .hasMessageContaining("exited during start-up")
                .hasMessageContaining("KEISEI_SERVICE_TOKEN is too short")
                .hasMessageNotContaining("changeme");
    }
}
