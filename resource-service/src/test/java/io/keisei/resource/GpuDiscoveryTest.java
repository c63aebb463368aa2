package io.keisei.resource;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * GPUs found by a fake nvidia-smi that the test swaps while the service runs: they become the
 * local pool's GPUs, follow the tool when it reports more, and survive one failed query but not
 * a broken tool.
 */
@QuarkusTest
@TestProfile(GpuDiscoveryTest.Profile.class)
@WithTestResource(KeiseiInfraResource.class)
class GpuDiscoveryTest {

    static final String POOL = "gpu-host";

    /** A host with the two-GPU fake installed, queried every 200 ms. */
    public static class Profile implements QuarkusTestProfile {
        static final Path DIR = tempDir();

        @Override
        public Map<String, String> getConfigOverrides() {
            FakeNvidiaSmi.install(FakeNvidiaSmi.TWO_GPUS, DIR);
            return Map.of(
                    "keisei.resources.local.pool-name", POOL,
                    "keisei.resources.local.cpu-millis", "4000",
                    "keisei.resources.local.memory-mb", "8192",
                    "keisei.resources.gpu.discovery", "true",
                    "keisei.resources.gpu.command", DIR.resolve("nvidia-smi").toString(),
                    "keisei.resources.gpu.refresh-interval", "200ms",
                    "keisei.resources.gpu.timeout", "2s",
                    "keisei.resources.gpu.failure-threshold", "3",
                    "keisei.resources.queue.rescan-interval", "off",
                    "keisei.resources.quotas.trainer.concurrent-sessions", "-1");
        }

        private static Path tempDir() {
            try {
                return Files.createTempDirectory("fake-nvidia-smi-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @AfterEach
    void backToTwoGpus() {
        FakeNvidiaSmi.install(FakeNvidiaSmi.TWO_GPUS, Profile.DIR);
        awaitPoolGpus(2);
    }

    static void awaitPoolGpus(int n) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().get("/resources/pools/{p}", POOL).then().statusCode(200).body("capacity.gpus", equalTo(n)));
    }

    @Test
    void theGpusNvidiaSmiReportsAreThePoolsGpus() {
        given().get("/resources/host").then().statusCode(200)
                .body("gpuCount", equalTo(2))
                .body("gpuSource", equalTo("nvidia-smi"))
                .body("gpus.name", everyItem(equalTo("NVIDIA GeForce RTX 4090")))
                .body("gpus.memoryTotalMb", contains(24564, 24564))
                .body("gpus.uuid", contains("GPU-1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "GPU-9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4"));
        given().get("/resources/pools/{p}", POOL).then().statusCode(200)
                .body("capacity.gpus", equalTo(2)).body("freeGpuIndices", contains(0, 1));
        // Utilisation and memory of each GPU reach system status (with its next sample: it is taken once a second).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/system/status").then().statusCode(200)
                .body("gpus", hasSize(2))
                .body("gpus[0].utilizationPercent", equalTo(37.0f))
                .body("gpus[0].memoryUsedMb", equalTo(1187)));
    }

    @Test
    void whenTheToolReportsMoreGpusThePoolGrowsAndAWaitingRequestStarts() {
        String session = "s-" + UUID.randomUUID();
        String id = given().contentType(ContentType.JSON).body(Map.of("session", session, "owner", "alice", "role", "trainer",
                        "priority", 0, "cpuMillis", 1000, "memoryMb", 1024, "gpus", 2)).post("/allocations")
                .then().statusCode(201).extract().path("id");
        String waiting = given().contentType(ContentType.JSON).body(Map.of("session", "s-" + UUID.randomUUID(), "owner", "bob",
                        "role", "trainer", "priority", 0, "cpuMillis", 1000, "memoryMb", 1024, "gpus", 4)).post("/allocations")
                .then().statusCode(422).extract().path("detail");
        org.assertj.core.api.Assertions.assertThat(waiting).contains("needs 4 GPUs but pool 'gpu-host' has 2 GPUs");
        String queued = given().contentType(ContentType.JSON).body(Map.of("session", "s-" + UUID.randomUUID(), "owner", "bob",
                        "role", "trainer", "priority", 0, "cpuMillis", 1000, "memoryMb", 1024, "gpus", 1)).post("/allocations")
                .then().statusCode(202).body("reason", containsString("needs 1 GPU, 0 of 2 free")).extract().path("id");

        FakeNvidiaSmi.install(FakeNvidiaSmi.EIGHT_GPUS, Profile.DIR);
        awaitPoolGpus(8);
        // The pool's new capacity starts the queued request at once, on GPU 2.
        given().get("/allocations/{id}", queued).then().body("state", equalTo("granted")).body("gpuIndices", equalTo(List.of(2)));
        given().get("/resources/pools/{p}", POOL).then()
                .body("used.gpus", equalTo(3)).body("free.gpus", equalTo(5)).body("freeGpuIndices", contains(3, 4, 5, 6, 7));
        given().get("/resources/host").then().body("gpus", hasSize(8)).body("gpus[7].name", equalTo("NVIDIA H100 80GB HBM3"));
        given().delete("/allocations/{id}", id).then().statusCode(200);
        given().delete("/allocations/{id}", queued).then().statusCode(200);
    }

    @Test
    void aBrokenToolEmptiesTheGpuPoolAndTheServiceStaysHealthy() {
        FakeNvidiaSmi.install(FakeNvidiaSmi.FAILS, Profile.DIR);
        awaitPoolGpus(0);
        given().get("/resources/host").then().body("gpuCount", equalTo(0)).body("gpuSource", equalTo("none")).body("gpus", hasSize(0));
        given().get("/q/health/ready").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("session", "s-" + UUID.randomUUID(), "owner", "alice", "role", "trainer",
                        "priority", 0, "cpuMillis", 1000, "memoryMb", 1024, "gpus", 1)).post("/allocations")
                .then().statusCode(422).body("detail", containsString("pool 'gpu-host' has 0 GPUs"));
        // CPU-only work goes on.
        String cpu = given().contentType(ContentType.JSON).body(Map.of("session", "s-" + UUID.randomUUID(), "owner", "alice",
                        "role", "trainer", "priority", 0, "cpuMillis", 1000, "memoryMb", 1024, "gpus", 0)).post("/allocations")
                .then().statusCode(201).extract().path("id");
        given().delete("/allocations/{id}", cpu).then().statusCode(200);
    }
}
