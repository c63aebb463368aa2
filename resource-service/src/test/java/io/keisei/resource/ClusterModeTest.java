package io.keisei.resource;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode against the fabric8 mock API server (CRUD): a cluster of 4 nodes x 8 H100 (pool h100), 2 x 4 A100
 * (pool a100), 3 CPU-only nodes (no label: pool default), a cordoned node, a node with a taint trainers do not
 * tolerate, and other people's pods holding GPUs. The pools come from the nodes, usage counts the foreign pods,
 * grants name one node, and reasons speak of single nodes.
 */
@QuarkusTest
@TestProfile(ClusterModeTest.Cluster.class)
@WithTestResource(KeiseiInfraResource.class)
@WithKubernetesTestServer(crud = true)
class ClusterModeTest {

    public static class Cluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of(
                    "keisei.resources.mode", "kubernetes",
                    "keisei.resources.kubernetes.tolerations", "nvidia.com/gpu:Exists:NoSchedule",
                    "keisei.resources.kubernetes.settle", "100ms",
                    "keisei.resources.kubernetes.requeue-unschedulable-after", "1s",
                    "keisei.resources.queue.rescan-interval", "off",
                    "keisei.resources.lease.enabled", "false"));
            for (String role : new String[]{"admin", "trainer", "researcher", "viewer"}) {
                config.put("keisei.resources.quotas." + role + ".concurrent-sessions", "-1");
                config.put("keisei.resources.quotas." + role + ".gpu-hours-per-day", "-1");
            }
            return config;
        }
    }

    @Inject
    KubernetesClient client;

    static Node node(String name, String pool, String cpu, String memory, int gpus, String product) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewTaint().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").endTaint()
                .endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
        if (gpus > 0) {
            b.editStatus().addToAllocatable("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endStatus();
            b.editMetadata().addToLabels("nvidia.com/gpu.product", product).endMetadata();
        } else {
            b.editSpec().withTaints().endSpec();
        }
        if (pool != null) {
            b.editMetadata().addToLabels("keisei.io/pool", pool).endMetadata();
        }
        return b.build();
    }

    static Pod foreign(String name, String namespace, String node, int gpus, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("work").withImage("someone/else")
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity("8Gi"))
                .addToLimits("nvidia.com/gpu", new Quantity(String.valueOf(gpus))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
    }

    @BeforeEach
    void cluster() {
        if (client.nodes().withName("gpu-h100-1").get() != null) {
            return;
        }
        for (int i = 1; i <= 4; i++) {
            client.nodes().resource(node("gpu-h100-" + i, "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3")).create();
        }
        for (int i = 1; i <= 2; i++) {
            client.nodes().resource(node("gpu-a100-" + i, "a100", "32", "256Gi", 4, "NVIDIA-A100-SXM4-40GB")).create();
        }
        for (int i = 1; i <= 3; i++) {
            client.nodes().resource(node("cpu-" + i, null, "16", "64Gi", 0, null)).create();
        }
        Node cordoned = node("gpu-h100-5", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3");
        cordoned.getSpec().setUnschedulable(true);
        client.nodes().resource(cordoned).create();
        Node tainted = node("gpu-h100-6", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3");
        tainted.getSpec().getTaints().add(new io.fabric8.kubernetes.api.model.TaintBuilder().withKey("maintenance")
                .withValue("true").withEffect("NoExecute").build());
        client.nodes().resource(tainted).create();
        // Other teams' jobs: 6 GPUs on every H100 node but the first; 2 on the first A100 node.
        for (int i = 2; i <= 4; i++) {
            client.pods().inNamespace("team-vision").resource(foreign("vit-" + i, "team-vision", "gpu-h100-" + i, 6, "24")).create();
        }
        client.pods().inNamespace("team-nlp").resource(foreign("bert", "team-nlp", "gpu-a100-1", 2, "8")).create();
        // A finished pod holds nothing.
        Pod done = foreign("done", "team-nlp", "gpu-a100-2", 4, "8");
        done.getStatus().setPhase("Succeeded");
        client.pods().inNamespace("team-nlp").resource(done).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/resources/pools/h100").statusCode() == 200
                && given().get("/resources/pools/h100").jsonPath().getList("nodes").size() == 6);
    }

    static Map<String, Object> request(String pool, int gpus, long cpu) {
        Map<String, Object> r = new HashMap<>();
        r.put("session", "s-" + UUID.randomUUID());
        r.put("owner", "alice");
        r.put("role", "trainer");
        r.put("priority", 100);
        r.put("cpuMillis", cpu);
        r.put("memoryMb", 16_384);
        r.put("gpus", gpus);
        if (pool != null) {
            r.put("pool", pool);
        }
        return r;
    }

    final List<String> made = new java.util.ArrayList<>();

    /** 201 when granted, 202 when queued. */
    JsonPath post(Map<String, Object> body) {
        JsonPath a = given().contentType("application/json").body(body).post("/allocations").then()
                .statusCode(org.hamcrest.Matchers.isOneOf(201, 202)).extract().jsonPath();
        made.add(a.getString("id"));
        return a;
    }

    static void release(String id) {
        given().delete("/allocations/{id}", id).then().statusCode(200);
    }

    @org.junit.jupiter.api.AfterEach
    void releaseWhatThisTestMade() {
        made.forEach(id -> given().delete("/allocations/{id}", id));
    }

    @Test
    void poolsComeFromNodeLabelsWithOtherWorkloadsCountedAndExclusionsExplained() {
        JsonPath h100 = given().get("/resources/pools/h100").then().statusCode(200).extract().jsonPath();
        assertThat(h100.getString("kind")).isEqualTo("kubernetes");
        // 4 eligible nodes x 8 GPUs; the cordoned and the tainted node are listed but not counted
        assertThat(h100.getInt("capacity.gpus")).isEqualTo(32);
        assertThat(h100.getInt("free.gpus")).as("other teams hold 18").isEqualTo(14);
        assertThat(h100.getString("nodes.find { it.name == 'gpu-h100-5' }.excluded")).isEqualTo("cordoned");
        assertThat(h100.getString("nodes.find { it.name == 'gpu-h100-6' }.excluded"))
                .isEqualTo("taint maintenance=true:NoExecute is not tolerated by trainer Jobs");
        assertThat(h100.getString("nodes.find { it.name == 'gpu-h100-1' }.excluded")).isNull();
        assertThat(h100.getInt("nodes.find { it.name == 'gpu-h100-2' }.usedByOthers.gpus")).isEqualTo(6);
        assertThat(h100.getLong("nodes.find { it.name == 'gpu-h100-2' }.usedByOthers.cpuMillis")).isEqualTo(24_000);
        assertThat(h100.getString("nodes.find { it.name == 'gpu-h100-1' }.gpuProduct")).isEqualTo("NVIDIA-H100-80GB-HBM3");

        JsonPath a100 = given().get("/resources/pools/a100").then().statusCode(200).extract().jsonPath();
        assertThat(a100.getInt("capacity.gpus")).isEqualTo(8);
        assertThat(a100.getInt("free.gpus")).as("the finished pod holds nothing").isEqualTo(6);

        JsonPath cpu = given().get("/resources/pools/default").then().statusCode(200).extract().jsonPath();
        assertThat(cpu.getList("nodes.name")).containsExactly("cpu-1", "cpu-2", "cpu-3");
        assertThat(cpu.getLong("capacity.cpuMillis")).isEqualTo(48_000);
        assertThat(cpu.getInt("capacity.gpus")).isZero();
    }

    @Test
    void aGrantNamesOneNodeThatHoldsAllItsGpus() {
        JsonPath eight = post(request("h100", 8, 8_000));
        assertThat(eight.getString("state")).isEqualTo("granted");
        // only gpu-h100-1 has 8 free GPUs: the others hold 2 each after the foreign jobs
        assertThat(eight.getString("node")).isEqualTo("gpu-h100-1");
        assertThat(eight.getList("gpuIndices")).hasSize(8);

        JsonPath two = post(request("h100", 2, 4_000));
        assertThat(two.getString("state")).isEqualTo("granted");
        assertThat(two.getString("node")).isIn("gpu-h100-2", "gpu-h100-3", "gpu-h100-4");

        // 14 - 8 - 2 = 4 GPUs free in the pool, 2 on each of two nodes: a 4-GPU request waits, saying why
        JsonPath four = post(request("h100", 4, 4_000));
        assertThat(four.getString("state")).isEqualTo("queued");
        assertThat(four.getString("reason")).startsWith("needs 4 GPUs on one node; largest free block: 2 (gpu-h100-");
        assertThat(four.getString("reason")).contains(", pool h100)");

        // a request too large for any node can never start, and says what the largest node has
        JsonPath sixteen = post(request("h100", 16, 4_000));
        assertThat(sixteen.getString("reason")).contains("needs 4 CPU, 16384 MiB memory, 16 GPUs on one node, but the "
                + "largest node of pool 'h100' has 64 CPU, 524288 MiB memory, 8 GPUs");

        // releasing the 8-GPU grant frees gpu-h100-1: the 4-GPU request starts there
        release(eight.getString("id"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath now = given().get("/allocations/{id}", four.getString("id")).then().extract().jsonPath();
            assertThat(now.getString("state")).isEqualTo("granted");
            assertThat(now.getString("node")).isEqualTo("gpu-h100-1");
        });
    }

    @Test
    void aRequestWithoutAPoolGoesToTheDefaultPoolsCpuNodes() {
        JsonPath cpuOnly = post(request(null, 0, 4_000));
        assertThat(cpuOnly.getString("pool")).isEqualTo("default");
        assertThat(cpuOnly.getString("state")).isEqualTo("granted");
        assertThat(cpuOnly.getString("node")).startsWith("cpu-");
    }

    @Test
    void otherPeoplesJobsEndingFreesTheirGpusForTheQueue() {
        JsonPath six = post(request("a100", 4, 4_000));
        assertThat(six.getString("state")).isEqualTo("granted");
        assertThat(six.getString("node")).as("gpu-a100-1 has only 2 free").isEqualTo("gpu-a100-2");
        JsonPath waiting = post(request("a100", 4, 4_000));
        assertThat(waiting.getString("state")).isEqualTo("queued");
        assertThat(waiting.getString("reason")).startsWith("needs 4 GPUs on one node; largest free block: 2 (gpu-a100-1, pool a100)");

        // the other team's job finishes: its pod is deleted, the watch sees it, the queue moves
        client.pods().inNamespace("team-nlp").withName("bert").delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath now = given().get("/allocations/{id}", waiting.getString("id")).then().extract().jsonPath();
            assertThat(now.getString("state")).isEqualTo("granted");
            assertThat(now.getString("node")).isEqualTo("gpu-a100-1");
        });
        client.pods().inNamespace("team-nlp").resource(foreign("bert", "team-nlp", "gpu-a100-1", 2, "8")).create();
    }

    /** Our trainer pod as training-service makes it: its allocation label and the affinity to the granted node. */
    static Pod trainerPod(String allocation, String node) {
        return new PodBuilder().withNewMetadata().withName("trainer-" + allocation.substring(0, 8)).withNamespace("keisei")
                .addToLabels("app.kubernetes.io/managed-by", "training-service").addToLabels("keisei.io/allocation", allocation)
                .endMetadata()
                .withNewSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node)
                .endMatchField().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .endAffinity().addNewContainer().withName("trainer").withImage("keisei/shogi-trainer").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/11 nodes are available: 1 Insufficient nvidia.com/gpu.")
                .endCondition().endStatus().build();
    }

    @Test
    void aGrantWhoseNodeWasTakenMeanwhileGoesBackToItsPlaceInTheQueue() {
        JsonPath first = post(request("a100", 4, 4_000));
        assertThat(first.getString("node")).isEqualTo("gpu-a100-2");
        String id = first.getString("id");
        JsonPath behind = post(request("a100", 4, 4_000));
        assertThat(behind.getString("state")).isEqualTo("queued");
        // between the grant and the trainer's Job, another team's job took gpu-a100-2's GPUs
        client.pods().inNamespace("team-nlp").resource(foreign("sneaky", "team-nlp", "gpu-a100-2", 4, "8")).create();
        client.pods().inNamespace("keisei").resource(trainerPod(id, "gpu-a100-2")).create();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonPath now = given().get("/allocations/{id}", id).then().extract().jsonPath();
            assertThat(now.getString("state")).isEqualTo("queued");
            assertThat(now.getString("node")).isNull();
            // its old place: ahead of the request that came after it
            assertThat(now.getInt("queuePosition")).isEqualTo(1);
            assertThat(now.getString("reason")).startsWith("queued again: the trainer pod could not be scheduled on "
                    + "gpu-a100-2 (0/11 nodes are available: 1 Insufficient nvidia.com/gpu.); needs 4 GPUs on one node");
        });
        assertThat(given().get("/allocations/{id}", behind.getString("id")).jsonPath().getInt("queuePosition")).isEqualTo(2);

        // the other team's job ends and our pod is gone: the first request is granted again, before the second
        client.pods().inNamespace("keisei").withName("trainer-" + id.substring(0, 8)).delete();
        client.pods().inNamespace("team-nlp").withName("sneaky").delete();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(given().get("/allocations/{id}", id).jsonPath().getString("state")).isEqualTo("granted"));
        assertThat(given().get("/allocations/{id}", behind.getString("id")).jsonPath().getString("state")).isEqualTo("queued");
    }
}
