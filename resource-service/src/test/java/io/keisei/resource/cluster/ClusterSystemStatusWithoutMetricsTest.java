package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.keisei.contracts.SystemStatus;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.keisei.resource.cluster.ClusterObjects.node;
import static io.keisei.resource.cluster.ClusterObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cluster-mode system status on a cluster without metrics-server (metrics.k8s.io answers 404, as an API server does
 * for an API nobody serves): every node is read by its pods' requests, and the API is not asked again every second.
 */
@QuarkusTest
@TestProfile(ClusterSystemStream.Cluster.class)
@WithTestResource(KeiseiInfraResource.class)
@WithKubernetesTestServer(crud = true, setup = ClusterSystemStatusWithoutMetricsTest.Fixture.class)
class ClusterSystemStatusWithoutMetricsTest {

    static final String METRICS_PATH = "/apis/metrics.k8s.io/v1beta1/nodes";
    static final Set<String> NODES = Set.of("nm-h100-1", "nm-cpu-1");

    public static class Fixture implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            server.expect().get().withPath(METRICS_PATH).andReturn(404, new StatusBuilder().withCode(404)
                    .withReason("NotFound").withMessage("the server could not find the requested resource").build()).always();
            KubernetesClient k8s = server.getClient();
            k8s.nodes().resource(node("nm-h100-1", "h100", "64", "512Gi", 8, "NVIDIA-H100-80GB-HBM3")).create();
            k8s.nodes().resource(node("nm-cpu-1", null, "16", "64Gi", 0, null)).create();
            k8s.pods().inNamespace("team").resource(pod("trainer", "nm-h100-1", "8", "32Gi", 2, "Running", true)).create();
            k8s.pods().inNamespace("team").resource(pod("etl", "nm-cpu-1", "4", "8Gi", 0, "Running", false)).create();
        }
    }

    @Inject
    RedisDataSource redis;

    @KubernetesTestServer
    KubernetesServer server;

    @Test
    void everyNodeIsReadByItsPodsRequestsAndTheMissingApiIsAskedForOnce() throws InterruptedException {
        long start = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(20)).until(() -> ClusterSystemStream.samplesSince(redis, start, NODES).stream()
                .filter(s -> s.node().equals("nm-cpu-1")).count() >= 3);
        Map<String, SystemStatus> newest = ClusterSystemStream.newestByNode(ClusterSystemStream.samplesSince(redis, start, NODES));
        assertThat(newest.values()).extracting(SystemStatus::usageSource).containsOnly(SystemStatus.USAGE_REQUESTS);

        SystemStatus gpu = newest.get("nm-h100-1");
        assertThat(gpu.pool()).isEqualTo("h100");
        assertThat(gpu.cpuPercent()).as("our trainer's 8 of 64 cores").isEqualTo(12.5);
        assertThat(gpu.memoryUsedMb()).isEqualTo(32 * 1024);
        assertThat(gpu.gpus()).hasSize(8);
        assertThat(gpu.gpusRequested()).isEqualTo(2);

        SystemStatus cpu = newest.get("nm-cpu-1");
        assertThat(cpu.pool()).isEqualTo("default");
        assertThat(cpu.cpuPercent()).isEqualTo(25.0);
        assertThat(cpu.memoryUsedMb()).isEqualTo(8 * 1024);

        // Samples went out for seconds; the API that answered 404 was asked once in all that time.
        int metricsRequests = 0;
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (r.getPath().startsWith(METRICS_PATH)) {
                metricsRequests++;
            }
        }
        assertThat(metricsRequests).isEqualTo(1);
    }
}
