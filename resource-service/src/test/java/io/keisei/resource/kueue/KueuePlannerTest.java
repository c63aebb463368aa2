package io.keisei.resource.kueue;

import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.Resources;
import io.keisei.resource.Role;
import io.keisei.resource.SessionQuotas;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Under Kueue admission only our quotas hold a request back; capacity is Kueue's. No database, no Kubernetes. */
class KueuePlannerTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final Pool SMALL = new Pool("h100", "kubernetes", 8_000, 32_768, 2, NOW);

    static AllocationRecord queued(String id, String owner, int gpus, int ageSeconds, String kueueQueue) {
        return new AllocationRecord(id, "s-" + id, owner, Role.TRAINER, 100, "h100", AllocationState.QUEUED,
                new Resources(4_000, 16_384, gpus), List.of(), null, NOW.minusSeconds(ageSeconds), null, null, null, null,
                null, kueueQueue);
    }

    final KueuePlanner planner = new KueuePlanner(new QueuePlanner(Duration.ZERO));
    final SessionQuotas twoEach = new SessionQuotas(r -> OptionalInt.of(2), Map.of());

    @Test
    void requestsLargerThanThePoolAreStillHandedOverOnlyQuotasHoldThemBack() {
        List<AllocationRecord> live = List.of(
                queued("a", "alice", 8, 30, null), // four times what the pool has: Kueue's quotas decide
                queued("b", "alice", 1, 20, null),
                queued("c", "alice", 1, 10, null)); // alice's third: over her quota of 2
        QueuePlan plan = planner.plan(SMALL, live, NOW, twoEach, KueueQueueView.EMPTY);
        assertThat(plan.grants()).extracting(g -> g.allocation().id()).containsExactly("a", "b");
        assertThat(plan.grants()).allSatisfy(g -> {
            assertThat(g.gpuIndices()).isEmpty();
            assertThat(g.node()).isNull();
        });
        assertThat(plan.waiting("c").orElseThrow().reason()).isEqualTo("quota: 2 of 2 concurrent sessions in use");
        assertThat(plan.waiting("c").orElseThrow().cause()).isEqualTo(QueuePlan.Cause.QUOTA);
    }

    @Test
    void aRequestInKueuesHandsHoldsItsOwnersPlaceAndWaitsWhereKueueSays() {
        List<AllocationRecord> live = List.of(
                queued("a", "alice", 1, 30, "gpu-h100"),
                queued("b", "alice", 1, 20, "gpu-h100"),
                queued("c", "alice", 1, 10, null),
                queued("d", "bob", 1, 5, null));
        QueuePlan plan = planner.plan(SMALL, live, NOW, twoEach, KueueQueueView.EMPTY);
        assertThat(plan.grants()).extracting(g -> g.allocation().id()).as("bob's first is handed over").containsExactly("d");
        assertThat(plan.waiting("c").orElseThrow().cause()).isEqualTo(QueuePlan.Cause.QUOTA);
        assertThat(plan.waiting("a").orElseThrow().reason())
                .isEqualTo("handed to Kueue (LocalQueue 'gpu-h100'); its Workload is not there yet");
        assertThat(plan.waiting("b")).isPresent();
    }
}
