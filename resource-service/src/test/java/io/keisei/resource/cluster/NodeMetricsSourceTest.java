package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMetricsSourceTest {

    long now = 1_000_000_000L;
    int calls;
    final Deque<Supplier<List<NodeMetrics>>> answers = new ArrayDeque<>();
    final NodeMetricsSource source = new NodeMetricsSource(() -> {
        calls++;
        return answers.isEmpty() ? List.of() : answers.poll().get();
    }, () -> now);

    static Supplier<List<NodeMetrics>> http(int code) {
        return () -> {
            throw new KubernetesClientException("HTTP " + code, code, null);
        };
    }

    static Supplier<List<NodeMetrics>> served(String... nodes) {
        return () -> java.util.Arrays.stream(nodes).map(n -> ClusterObjects.metrics(n, "1", "1Gi")).toList();
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    @Test
    void aServedApiIsListedAgainOnlyAfterTheRefreshTime() {
        answers.add(served("a", "b"));
        answers.add(served("a"));
        assertThat(source.current()).hasSize(2);
        advance(NodeMetricsSource.REFRESH.minusMillis(1));
        assertThat(source.current()).as("still the first listing").hasSize(2);
        assertThat(calls).isEqualTo(1);
        advance(Duration.ofMillis(1));
        assertThat(source.current()).hasSize(1);
        assertThat(calls).isEqualTo(2);
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.SERVED);
    }

    @Test
    void a404MeansNoMetricsAndIsAskedAgainOnlyAfterTheRecheckTimeThenMetricsReturn() {
        answers.add(http(404));
        answers.add(served("a"));
        assertThat(source.current()).isEmpty();
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.ABSENT);
        for (int i = 0; i < 100; i++) {
            advance(NodeMetricsSource.RECHECK_ABSENT.dividedBy(101));
            assertThat(source.current()).isEmpty();
        }
        assertThat(calls).as("not asked again within the recheck time").isEqualTo(1);
        advance(NodeMetricsSource.RECHECK_ABSENT);
        assertThat(source.current()).hasSize(1);
        assertThat(calls).isEqualTo(2);
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.SERVED);
    }

    @Test
    void aForbiddenApiCountsAsAbsent() {
        answers.add(http(403));
        assertThat(source.current()).isEmpty();
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.ABSENT);
        advance(NodeMetricsSource.RETRY_FAILED.multipliedBy(2));
        source.current();
        assertThat(calls).isEqualTo(1);
    }

    @Test
    void anotherFailureDropsTheLastListingAndIsRetriedSooner() {
        answers.add(served("a"));
        answers.add(http(503));
        answers.add(() -> {
            throw new IllegalStateException("connection reset");
        });
        answers.add(served("a", "b"));
        assertThat(source.current()).hasSize(1);
        advance(NodeMetricsSource.REFRESH);
        assertThat(source.current()).as("stale numbers are not shown as measured").isEmpty();
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.FAILING);
        advance(NodeMetricsSource.RETRY_FAILED.minusMillis(1));
        source.current();
        assertThat(calls).isEqualTo(2);
        advance(Duration.ofMillis(1));
        assertThat(source.current()).isEmpty();
        assertThat(calls).isEqualTo(3);
        advance(NodeMetricsSource.RETRY_FAILED);
        assertThat(source.current()).hasSize(2);
        assertThat(source.state()).isEqualTo(NodeMetricsSource.State.SERVED);
    }
}
