package io.keisei.resource.kueue;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Kueue's Workloads read into phases, and pending ones ordered as Kueue's StrictFIFO orders them; no Kubernetes. */
class KueueQueueViewTest {

    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static Map<String, Object> condition(String type, String status, String reason, String message) {
        return Map.of("type", type, "status", status, "reason", reason, "message", message);
    }

    static WorkloadStatus read(String name, String allocation, String queue, int priority, Instant created,
                               List<Map<String, Object>> conditions) {
        Map<String, Object> metadata = new HashMap<>();
        metadata.put("name", name);
        metadata.put("creationTimestamp", created.toString());
        Map<String, Object> spec = Map.of("queueName", queue, "priority", priority, "podSets", List.of(Map.of("name", "main",
                "template", Map.of("metadata", Map.of("labels", Map.of("keisei.io/allocation", allocation))))));
        return WorkloadStatus.of(metadata, spec, Map.of("conditions", conditions)).orElseThrow();
    }

    @Test
    void phasesFollowKueuesConditions() {
        assertThat(read("w", "a", "q", 0, T0, List.of()).phase()).isEqualTo(WorkloadStatus.Phase.PENDING);
        WorkloadStatus pending = read("w", "a", "q", 0, T0,
                List.of(condition("QuotaReserved", "False", "Pending", "insufficient quota for cpu in flavor default")));
        assertThat(pending.phase()).isEqualTo(WorkloadStatus.Phase.PENDING);
        assertThat(pending.message()).isEqualTo("insufficient quota for cpu in flavor default");
        assertThat(read("w", "a", "q", 0, T0, List.of(condition("QuotaReserved", "True", "QuotaReserved", "ok"),
                condition("Admitted", "True", "Admitted", "ok"))).phase()).isEqualTo(WorkloadStatus.Phase.ADMITTED);
        WorkloadStatus evicted = read("w", "a", "q", 0, T0, List.of(condition("Admitted", "False", "NoReservation", "none"),
                condition("Evicted", "True", "PodsReadyTimeout", "Exceeded the PodsReady timeout")));
        assertThat(evicted.phase()).isEqualTo(WorkloadStatus.Phase.EVICTED);
        assertThat(evicted.reason()).isEqualTo("PodsReadyTimeout");
        assertThat(KueueQueueView.detail(evicted)).isEqualTo(" (PodsReadyTimeout): Exceeded the PodsReady timeout");
        assertThat(read("w", "a", "q", 0, T0, List.of(condition("Admitted", "True", "Admitted", "ok"),
                condition("Finished", "True", "Succeeded", "Job finished"))).phase()).isEqualTo(WorkloadStatus.Phase.FINISHED);
    }

    @Test
    void aWorkloadOfSomeoneElsesJobIsNotOurs() {
        Map<String, Object> spec = Map.of("queueName", "q", "podSets", List.of(Map.of("name", "main",
                "template", Map.of("metadata", Map.of("labels", Map.of("app", "other"))))));
        assertThat(WorkloadStatus.of(Map.of("name", "w"), spec, Map.of())).isEmpty();
    }

    @Test
    void pendingWorkloadsAreOrderedByPriorityThenAgePerLocalQueue() {
        KueueQueueView view = new KueueQueueView(List.of(
                read("old-low", "a1", "gpu", 0, T0, List.of()),
                read("new-high", "a2", "gpu", 10, T0.plusSeconds(60), List.of()),
                read("newer-low", "a3", "gpu", 0, T0.plusSeconds(120), List.of()),
                read("other-queue", "a4", "cpu", 0, T0.plusSeconds(180), List.of()),
                read("admitted", "a5", "gpu", 99, T0, List.of(condition("Admitted", "True", "Admitted", "ok")))));
        assertThat(view.waiting("a2", "gpu").position()).isEqualTo(1);
        assertThat(view.waiting("a1", "gpu").position()).isEqualTo(2);
        assertThat(view.waiting("a3", "gpu").position()).isEqualTo(3);
        assertThat(view.waiting("a3", "gpu").reason())
                .isEqualTo("Kueue (LocalQueue 'gpu', 3 of 3 pending): waiting for quota in its ClusterQueue");
        assertThat(view.waiting("a4", "cpu").position()).as("each LocalQueue counts its own").isEqualTo(1);
        assertThat(view.waiting("a6", "gpu"))
                .as("handed over, but Kueue has not made its Workload yet: behind the known ones")
                .isEqualTo(new KueueQueueView.Waiting(4, "handed to Kueue (LocalQueue 'gpu'); its Workload is not there yet"));
    }

    @Test
    void aRelaunchedJobsNewWorkloadStandsForTheAllocationNotTheFinishedOne() {
        KueueQueueView view = new KueueQueueView(List.of(
                read("first-run", "a1", "gpu", 0, T0.plusSeconds(60),
                        List.of(condition("Finished", "True", "Failed", "Job failed"))),
                read("second-run", "a1", "gpu", 0, T0, List.of())));
        assertThat(view.workloadOf("a1").orElseThrow().name()).isEqualTo("second-run");
        assertThat(view.waiting("a1", "gpu").position()).isEqualTo(1);
    }
}
