package io.keisei.resource;

import io.keisei.resource.stream.AllocationEventPublisher;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kueue admission against the fabric8 mock API server (CRUD), standing in for Kueue by writing the Workloads Kueue
 * would write for our trainer Jobs: a request within its owner's quota is handed to the pool's LocalQueue, waits
 * with Kueue's own message and place, is granted when its Workload is admitted and preempted when it is evicted; a
 * request beyond its owner's quota waits in our queue and is handed over when a place frees.
 */
@QuarkusTest
@TestProfile(KueueAdmissionTest.Kueue.class)
@WithTestResource(KeiseiInfraResource.class)
@WithKubernetesTestServer(crud = true)
class KueueAdmissionTest {

    public static class Kueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of(
                    "keisei.resources.mode", "kubernetes",
                    "keisei.resources.admission", "kueue",
                    "keisei.resources.kueue.namespace", "keisei",
                    "keisei.resources.kueue.pool-queues.h100", "gpu-h100",
                    "keisei.resources.kubernetes.tolerations", "nvidia.com/gpu:Exists:NoSchedule",
                    "keisei.resources.kubernetes.settle", "100ms",
                    "keisei.resources.queue.rescan-interval", "off",
                    "keisei.resources.lease.enabled", "false",
                    "keisei.resources.preemption.enabled", "true"));
            for (String role : new String[]{"admin", "researcher", "viewer"}) {
                config.put("keisei.resources.quotas." + role + ".concurrent-sessions", "-1");
                config.put("keisei.resources.quotas." + role + ".gpu-hours-per-day", "-1");
            }
            config.put("keisei.resources.quotas.trainer.concurrent-sessions", "2");
            config.put("keisei.resources.quotas.trainer.gpu-hours-per-day", "-1");
            return config;
        }
    }

    static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withKind("Workload").withPlural("workloads")
            .withNamespaced(true).build();

    @Inject
    KubernetesClient client;
    @Inject
    RedisDataSource redis;
    @Inject
    AllocationEventPublisher events;

    final List<String> made = new ArrayList<>();

    @BeforeEach
    void cluster() {
        if (client.nodes().withName("gpu-h100-1").get() == null) {
            for (int i = 1; i <= 2; i++) {
                client.nodes().resource(ClusterModeTest.node("gpu-h100-" + i, "h100", "64", "512Gi", 8,
                        "NVIDIA-H100-80GB-HBM3")).create();
            }
            client.nodes().resource(ClusterModeTest.node("cpu-1", null, "16", "64Gi", 0, null)).create();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/resources/pools/h100").statusCode() == 200
                && given().get("/resources/pools/h100").jsonPath().getInt("capacity.gpus") == 16);
    }

    @AfterEach
    void releaseWhatThisTestMade() {
        made.forEach(id -> given().delete("/allocations/{id}", id));
        client.genericKubernetesResources(WORKLOADS).inNamespace("keisei").delete();
    }

    JsonPath post(String owner, String pool, int gpus) {
        Map<String, Object> r = new HashMap<>();
        r.put("session", "s-" + UUID.randomUUID());
        r.put("owner", owner);
        r.put("role", "trainer");
        r.put("priority", 100);
        r.put("cpuMillis", 4_000);
        r.put("memoryMb", 16_384);
        r.put("gpus", gpus);
        if (pool != null) {
            r.put("pool", pool);
        }
        JsonPath a = given().contentType("application/json").body(r).post("/allocations").then().statusCode(202)
                .extract().jsonPath();
        made.add(a.getString("id"));
        return a;
    }

    /** The Workload Kueue makes for a trainer Job: its queue, and the Job's pod template with our allocation label. */
    GenericKubernetesResource workload(String name, String allocation, String queue) {
        Map<String, Object> template = Map.of("metadata", Map.of("labels", Map.of(
                "keisei.io/allocation", allocation, "app.kubernetes.io/managed-by", "training-service")));
        return new GenericKubernetesResourceBuilder().withApiVersion("kueue.x-k8s.io/v1beta1").withKind("Workload")
                .withNewMetadata().withName(name).withNamespace("keisei").endMetadata()
                .addToAdditionalProperties("spec", Map.of("queueName", queue, "priority", 0,
                        "podSets", List.of(Map.of("name", "main", "count", 1, "template", template))))
                .build();
    }

    static Map<String, Object> condition(String type, String status, String reason, String message) {
        return Map.of("type", type, "status", status, "reason", reason, "message", message,
                "lastTransitionTime", Instant.now().toString());
    }

    void setStatus(String name, Map<String, Object> status) {
        GenericKubernetesResource w = client.genericKubernetesResources(WORKLOADS).inNamespace("keisei").withName(name).get();
        w.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(WORKLOADS).inNamespace("keisei").resource(w).update();
    }

    static JsonPath get(String id) {
        return given().get("/allocations/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    List<LifecycleEvent> events(JsonPath a, EventType type) {
        EventLog.awaitRelayed(events);
        return EventLog.of(redis, a.getString("session"), type);
    }

    @Test
    void aRequestIsHandedToItsPoolsLocalQueueWaitsWithKueuesWordsAndIsGrantedWhenAdmitted() {
        JsonPath first = post("alice", "h100", 4);
        assertThat(first.getString("state")).isEqualTo("queued");
        assertThat(first.getString("kueueQueue")).as("pool h100's own LocalQueue").isEqualTo("gpu-h100");
        assertThat(first.getString("reason")).isEqualTo("handed to Kueue (LocalQueue 'gpu-h100'); waiting for its admission");
        assertThat(first.getString("node")).isNull();
        assertThat(events(first, EventType.ALLOCATION_QUEUED)).singleElement()
                .satisfies(e -> assertThat(e.allocation().kueueQueue()).isEqualTo("gpu-h100"))
                .satisfies(e -> assertThat(e.allocation().gpuCount()).isEqualTo(4));
        JsonPath cpu = post("carol", null, 0);
        assertThat(cpu.getString("kueueQueue")).as("other pools use the default LocalQueue").isEqualTo("keisei");

        // Kueue makes the Workloads and cannot fit them yet: our allocations say so, in Kueue's words and order
        String insufficient = "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu "
                + "in flavor h100, 4 more needed";
        JsonPath second = post("bob", "h100", 2);
        // the API server stamps creationTimestamp (in whole seconds): Kueue's FIFO order is the order of creation
        client.genericKubernetesResources(WORKLOADS).inNamespace("keisei")
                .resource(workload("job-z-first", first.getString("id"), "gpu-h100")).create();
        await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
        client.genericKubernetesResources(WORKLOADS).inNamespace("keisei")
                .resource(workload("job-a-second", second.getString("id"), "gpu-h100")).create();
        setStatus("job-z-first", Map.of("conditions", List.of(condition("QuotaReserved", "False", "Pending", insufficient))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonPath now = get(first.getString("id"));
            assertThat(now.getString("state")).isEqualTo("queued");
            assertThat(now.getInt("queuePosition")).as("older: first in Kueue's FIFO").isEqualTo(1);
            assertThat(now.getString("reason")).isEqualTo("Kueue (LocalQueue 'gpu-h100', 1 of 2 pending): " + insufficient);
            assertThat(get(second.getString("id")).getInt("queuePosition")).isEqualTo(2);
        });
        assertThat(get(second.getString("id")).getString("reason"))
                .isEqualTo("Kueue (LocalQueue 'gpu-h100', 2 of 2 pending): waiting for quota in its ClusterQueue");

        // Kueue admits the first: granted (no node of ours: the scheduler places the pod), announced once
        setStatus("job-z-first", Map.of("admission", Map.of("clusterQueue", "team-a"), "conditions", List.of(
                condition("QuotaReserved", "True", "QuotaReserved", "Quota reserved in ClusterQueue team-a"),
                condition("Admitted", "True", "Admitted", "The workload is admitted"))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get(first.getString("id")).getString("state")).isEqualTo("granted"));
        assertThat(get(first.getString("id")).getString("node")).isNull();
        assertThat(get(second.getString("id")).getInt("queuePosition")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events(first, EventType.ALLOCATION_GRANTED)).hasSize(1));
        setStatus("job-z-first", Map.of("admission", Map.of("clusterQueue", "team-a"), "conditions", List.of(
                condition("Admitted", "True", "Admitted", "The workload is admitted"),
                condition("PodsReady", "True", "PodsReady", "All pods were ready"))));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events(first, EventType.ALLOCATION_GRANTED)).as("a later update grants nothing again").hasSize(1));

        // Kueue evicts it for a higher-priority Workload: preempted, as our own preemption (its session pauses)
        String preempted = "Preempted to accommodate a workload (UID: 1234) due to prioritization in the ClusterQueue";
        setStatus("job-z-first", Map.of("conditions", List.of(
                condition("Admitted", "False", "NoReservation", "The workload has no reservation"),
                condition("Evicted", "True", "Preempted", preempted))));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events(first, EventType.ALLOCATION_PREEMPTED))
                .singleElement().satisfies(e -> assertThat(e.reason()).isEqualTo("evicted by Kueue (Preempted): " + preempted)));
        JsonPath evicted = get(first.getString("id"));
        assertThat(evicted.getString("state")).as("it keeps what it had until its session has paused").isEqualTo("granted");
        assertThat(evicted.getString("reason")).isEqualTo("evicted by Kueue (Preempted): " + preempted);
    }

    @Test
    void aRequestBeyondItsOwnersQuotaWaitsHereAndIsHandedToKueueWhenAPlaceFrees() {
        JsonPath one = post("dave", "h100", 1);
        JsonPath two = post("dave", "h100", 1);
        JsonPath three = post("dave", "h100", 1);
        assertThat(one.getString("kueueQueue")).isEqualTo("gpu-h100");
        assertThat(two.getString("kueueQueue")).as("handed over, it holds its owner's place").isEqualTo("gpu-h100");
        assertThat(three.getString("kueueQueue")).as("Kueue never sees it while the quota is used").isNull();
        assertThat(three.getString("reason")).isEqualTo("quota: 2 of 2 concurrent sessions in use");
        assertThat(get(three.getString("id")).getString("reason")).isEqualTo("quota: 2 of 2 concurrent sessions in use");

        given().delete("/allocations/{id}", one.getString("id")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get(three.getString("id")).getString("kueueQueue")).isEqualTo("gpu-h100"));
        assertThat(events(three, EventType.ALLOCATION_QUEUED)).last()
                .satisfies(e -> assertThat(e.allocation().kueueQueue()).isEqualTo("gpu-h100"));
    }
}
