package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.SystemStatus;
import io.keisei.resource.discovery.HostName;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.keisei.resource.cluster.ClusterObjects.metrics;
import static io.keisei.resource.cluster.ClusterObjects.node;
import static io.keisei.resource.cluster.ClusterObjects.pod;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster-mode system status against the fabric8 mock API server (CRUD) serving metrics.k8s.io for some nodes: one
 * sample per node that takes trainers on keisei:system each second, named after the node, with its pool, CPU and
 * memory measured where NodeMetrics exist and read from its pods' requests where not, and its GPUs.
 */
@QuarkusTest
@TestProfile(ClusterSystemStream.Cluster.class)
@WithTestResource(KeiseiInfraResource.class)
@WithKubernetesTestServer(crud = true, setup = ClusterSystemStatusTest.Fixture.class)
class ClusterSystemStatusTest {

    static final String H100 = "NVIDIA-H100-80GB-HBM3";
    static final Set<String> NODES = Set.of("ss-h100-1", "ss-h100-2", "ss-cpu-1", "ss-cordoned");

    /** The cluster, there before the service starts: its informers' first listing holds it. */
    public static class Fixture implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            KubernetesClient k8s = server.getClient();
            k8s.nodes().resource(node("ss-h100-1", "h100", "64", "512Gi", 8, H100)).create();
            k8s.nodes().resource(node("ss-h100-2", "h100", "64", "512Gi", 8, H100)).create();
            k8s.nodes().resource(node("ss-cpu-1", null, "16", "64Gi", 0, null)).create();
            Node cordoned = node("ss-cordoned", "h100", "64", "512Gi", 8, H100);
            cordoned.getSpec().setUnschedulable(true);
            k8s.nodes().resource(cordoned).create();
            // our trainer on the first H100 node, someone else's job (and a finished one) on the second, a CPU job
            k8s.pods().inNamespace("team").resource(pod("trainer", "ss-h100-1", "8", "32Gi", 2, "Running", true)).create();
            k8s.pods().inNamespace("team").resource(pod("vit", "ss-h100-2", "24", "64Gi", 6, "Running", false)).create();
            k8s.pods().inNamespace("team").resource(pod("done", "ss-h100-2", "30", "300Gi", 2, "Succeeded", false)).create();
            k8s.pods().inNamespace("team").resource(pod("etl", "ss-cpu-1", "4", "8Gi", 0, "Running", false)).create();
            // metrics-server has numbers for two of them (ss-h100-2 was not scraped yet)
            for (NodeMetrics m : List.of(metrics("ss-h100-1", "16", "128Gi"), metrics("ss-cpu-1", "2", "8Gi"),
                    metrics("ss-cordoned", "1", "1Gi"))) {
                k8s.resources(NodeMetrics.class).resource(m).create();
            }
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void eachNodeThatTakesTrainersIsSampledEverySecondMeasuredWhereMetricsExistAndByRequestsElsewhere() {
        long start = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(20)).until(() -> ClusterSystemStream.samplesSince(redis, start, NODES).stream()
                .filter(s -> s.node().equals("ss-h100-2")).count() >= 3);
        List<SystemStatus> samples = ClusterSystemStream.samplesSince(redis, start, NODES);
        Map<String, SystemStatus> newest = ClusterSystemStream.newestByNode(samples);
        assertThat(newest.keySet()).as("the cordoned node takes no trainers").containsExactlyInAnyOrder(
                "ss-h100-1", "ss-h100-2", "ss-cpu-1");

        SystemStatus measured = newest.get("ss-h100-1");
        assertThat(measured.pool()).isEqualTo("h100");
        assertThat(measured.usageSource()).isEqualTo(SystemStatus.USAGE_METRICS);
        assertThat(measured.cpuPercent()).as("16 of 64 cores measured, not the 8 requested").isEqualTo(25.0);
        assertThat(measured.memoryUsedMb()).isEqualTo(128 * 1024);
        assertThat(measured.memoryTotalMb()).isEqualTo(512 * 1024);
        assertThat(measured.gpus()).hasSize(8).extracting(GpuStatus::name).containsOnly(H100);
        assertThat(measured.gpusRequested()).as("our trainer's 2").isEqualTo(2);

        SystemStatus requested = newest.get("ss-h100-2");
        assertThat(requested.pool()).isEqualTo("h100");
        assertThat(requested.usageSource()).isEqualTo(SystemStatus.USAGE_REQUESTS);
        assertThat(requested.cpuPercent()).as("24 of 64 cores requested; the finished pod holds nothing").isEqualTo(37.5);
        assertThat(requested.memoryUsedMb()).isEqualTo(64 * 1024);
        assertThat(requested.gpus()).extracting(GpuStatus::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(requested.gpusRequested()).isEqualTo(6);

        SystemStatus cpu = newest.get("ss-cpu-1");
        assertThat(cpu.pool()).as("unlabelled: the default pool").isEqualTo("default");
        assertThat(cpu.usageSource()).isEqualTo(SystemStatus.USAGE_METRICS);
        assertThat(cpu.cpuPercent()).isEqualTo(12.5);
        assertThat(cpu.memoryUsedMb()).isEqualTo(8 * 1024);
        assertThat(cpu.memoryTotalMb()).isEqualTo(64 * 1024);
        assertThat(cpu.gpus()).isEmpty();
        assertThat(cpu.gpusRequested()).isZero();

        // One sample per node per interval, not a flood.
        for (String node : newest.keySet()) {
            List<Long> times = samples.stream().filter(s -> s.node().equals(node)).map(SystemStatus::time).sorted().toList();
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i) - times.get(i - 1)).as(node).isGreaterThanOrEqualTo(500);
            }
        }
        // resource-service's own pod is no node: the host sampler is quiet in cluster mode.
        assertThat(ClusterSystemStream.samplesSince(redis, start, Set.of(HostName.get()))).isEmpty();
    }

    @Test
    void restServesTheFirstNodeByPoolAndName() {
        given().get("/system/status").then().statusCode(200)
                .body("node", org.hamcrest.Matchers.equalTo("ss-cpu-1"))
                .body("pool", org.hamcrest.Matchers.equalTo("default"))
                .body("usageSource", org.hamcrest.Matchers.equalTo("metrics"));
    }
}
