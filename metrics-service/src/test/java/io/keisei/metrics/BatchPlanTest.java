package io.keisei.metrics;

import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.BatchPlan.KnownAttempt;
import io.keisei.metrics.BatchPlan.Point;
import io.keisei.metrics.BatchPlan.Resume;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The planning rules of one batch, without a database. */
class BatchPlanTest {

    @Test
    void duplicatesCollapseAndTheFirstDeliveryOfAnAttemptWins() {
        BatchPlan plan = BatchPlan.of(List.of(
                MetricUpdate.of("s", 1, 10, 1, Map.of("x", 1.0)),
                MetricUpdate.of("s", 1, 10, 2, Map.of("x", 9.0)),
                MetricUpdate.of("s", 1, 20, 3, Map.of("x", 2.0, "y", 3.0))), Map.of());
        assertThat(plan.points()).extracting(Point::metric, Point::step, Point::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("x", 10L, 1.0),
                        org.assertj.core.groups.Tuple.tuple("x", 20L, 2.0),
                        org.assertj.core.groups.Tuple.tuple("y", 20L, 3.0));
        assertThat(plan.resumes()).isEmpty();
        assertThat(plan.spans()).singleElement().satisfies(s -> {
            assertThat(s.firstStep()).isEqualTo(10);
            assertThat(s.lastStep()).isEqualTo(20);
            assertThat(s.startedMillis()).isEqualTo(1);
        });
    }

    @Test
    void aNewAttemptBelowStoredStepsIsAResume() {
        Map<String, Map<Integer, KnownAttempt>> known = Map.of("s", Map.of(1, new KnownAttempt(1, 0, 5000L)));
        BatchPlan plan = BatchPlan.of(List.of(MetricUpdate.of("s", 2, 3000, 1, Map.of("x", 1.0))), known);
        assertThat(plan.resumes()).containsExactly(new Resume("s", 2, 3000));
    }

    @Test
    void aNewAttemptAfterEveryStoredStepSupersedesNothing() {
        Map<String, Map<Integer, KnownAttempt>> known = Map.of("s", Map.of(1, new KnownAttempt(1, 0, 5000L)));
        BatchPlan plan = BatchPlan.of(List.of(MetricUpdate.of("s", 2, 5001, 1, Map.of("x", 1.0))), known);
        assertThat(plan.resumes()).isEmpty();
        assertThat(plan.points()).hasSize(1);
    }

    @Test
    void lateEarlierAttemptPointsAtOrAfterALaterAttemptsStartAreDropped() {
        Map<String, Map<Integer, KnownAttempt>> known = Map.of("s", Map.of(
                1, new KnownAttempt(1, 0, 2999L), 2, new KnownAttempt(2, 3000, 4000L)));
        BatchPlan plan = BatchPlan.of(List.of(
                MetricUpdate.of("s", 1, 2999, 1, Map.of("x", 1.0)),
                MetricUpdate.of("s", 1, 3000, 1, Map.of("x", 1.0)),
                MetricUpdate.of("s", 1, 3500, 1, Map.of("x", 1.0))), known);
        assertThat(plan.points()).extracting(Point::step).containsExactly(2999L);
        assertThat(plan.resumes()).isEmpty();
    }

    @Test
    void withinOneBatchTheLaterAttemptWinsAndFiltersTheEarlierOnesTail() {
        BatchPlan plan = BatchPlan.of(List.of(
                MetricUpdate.of("s", 1, 100, 1, Map.of("x", 1.0)),
                MetricUpdate.of("s", 1, 200, 2, Map.of("x", 2.0)),
                MetricUpdate.of("s", 2, 150, 3, Map.of("x", 3.0)),
                MetricUpdate.of("s", 2, 200, 4, Map.of("x", 4.0))), Map.of());
        assertThat(plan.points()).extracting(Point::step, Point::attempt)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(100L, 1),
                        org.assertj.core.groups.Tuple.tuple(150L, 2),
                        org.assertj.core.groups.Tuple.tuple(200L, 2));
        assertThat(plan.spans()).filteredOn(s -> s.attempt() == 1).singleElement()
                .satisfies(s -> assertThat(s.lastStep()).isEqualTo(100));
    }
}
