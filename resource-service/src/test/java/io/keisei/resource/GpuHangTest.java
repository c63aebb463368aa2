package io.keisei.resource;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * An nvidia-smi that hangs on every query (1 s timeout, queried every 500 ms): the service starts,
 * stays healthy and answers, finds no GPUs, and the configured GPU count still makes the pool.
 */
@QuarkusTest
@TestProfile(GpuHangTest.Profile.class)
@WithTestResource(KeiseiInfraResource.class)
class GpuHangTest {

    static final String POOL = "hang-host";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keisei.resources.local.pool-name", POOL,
                    "keisei.resources.local.gpu-count", "2",
                    "keisei.resources.gpu.discovery", "true",
                    "keisei.resources.gpu.command", FakeNvidiaSmi.install(FakeNvidiaSmi.HANGS).toString(),
                    "keisei.resources.gpu.timeout", "1s",
                    "keisei.resources.gpu.refresh-interval", "500ms",
                    "keisei.resources.queue.rescan-interval", "off");
        }
    }

    @Test
    void aHangingToolTimesOutAndTheOverrideStillMakesThePool() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/resources/host").then().statusCode(200)
                .body("gpuCount", equalTo(2)).body("gpuSource", equalTo("override")).body("gpus", hasSize(0));
        given().get("/resources/pools/{p}", POOL).then().statusCode(200)
                .body("capacity.gpus", equalTo(2)).body("freeGpuIndices", equalTo(java.util.List.of(0, 1)));
        // Several hung queries later, everything still answers.
        for (int i = 0; i < 3; i++) {
            given().get("/system/status").then().statusCode(200).body("gpus", hasSize(0));
            given().get("/q/health/live").then().statusCode(200);
        }
    }
}
