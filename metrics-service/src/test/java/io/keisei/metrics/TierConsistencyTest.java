package io.keisei.metrics;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.persistence.TierRebuild;
import io.keisei.metrics.support.Db;
import io.keisei.metrics.support.RandomRun;
import io.keisei.metrics.support.TierAssertions;
import io.keisei.metrics.support.ReferenceModel;
import io.keisei.metrics.support.ReferenceModel.Agg;
import io.keisei.metrics.support.ReferenceModel.TierKey;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiers maintained at ingest equal a brute-force aggregation of the points that should be stored,
 * for random runs with redelivered duplicates and resumes that supersede steps, in random batches.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class TierConsistencyTest {

    @Inject
    PointWriter writer;
    @Inject
    AgroalDataSource db;
    @Inject
    TierLevels levels;
    @Inject
    TierRebuild rebuild;

    @Test
    void tiersEqualBruteForceAggregationOfTheExpectedPoints() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            String session = "tiers-" + seed + "-" + UUID.randomUUID();
            List<MetricUpdate> run = RandomRun.generate(session, seed, 900);
            ReferenceModel model = new ReferenceModel();
            run.forEach(model::apply);

            Random r = new Random(seed);
            for (int i = 0; i < run.size(); ) {
                int n = 1 + r.nextInt(r.nextBoolean() ? 5 : 300);
                writer.write(run.subList(i, Math.min(run.size(), i + n)));
                i += n;
            }
            // Redelivering everything again changes nothing.
            writer.write(run.subList(0, Math.min(run.size(), 500)));

            assertThat(Db.points(db, session)).as("points of seed %d", seed).isEqualTo(model.points());
            TierAssertions.assertMatches(Db.tiers(db, session), model.tiers(levels.toArray()));

            // A set-based rebuild from raw points (V1 upgrade, changed tier set, bulk loads) agrees.
            rebuild.rebuild(session);
            TierAssertions.assertMatches(Db.tiers(db, session), model.tiers(levels.toArray()));
        }
    }

    @Test
    void supersedingAtTheSameStepRecomputesTheBucketInsteadOfMerging() throws Exception {
        String session = "same-step-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        writer.write(List.of(MetricUpdate.of(session, 1, 0, now, Map.of("x", 1.0)),
                MetricUpdate.of(session, 1, 100, now, Map.of("x", 500.0)),
                MetricUpdate.of(session, 1, 200, now, Map.of("x", 2.0))));
        // Attempt 2 resumes at step 100: the spike of attempt 1 there must leave min/max.
        writer.write(List.of(MetricUpdate.of(session, 2, 100, now, Map.of("x", 3.0))));
        ReferenceModel model = new ReferenceModel();
        model.apply(MetricUpdate.of(session, 1, 0, now, Map.of("x", 1.0)));
        model.apply(MetricUpdate.of(session, 1, 100, now, Map.of("x", 500.0)));
        model.apply(MetricUpdate.of(session, 1, 200, now, Map.of("x", 2.0)));
        model.apply(MetricUpdate.of(session, 2, 100, now, Map.of("x", 3.0)));
        assertThat(Db.points(db, session)).isEqualTo(model.points()).hasSize(2);
        Map<TierKey, Agg> tiers = Db.tiers(db, session);
        TierAssertions.assertMatches(tiers, model.tiers(levels.toArray()));
        assertThat(tiers.get(new TierKey("x", levels.coarsest(), 0))).satisfies(a -> {
            assertThat(a.max()).isEqualTo(3.0);
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.last()).isEqualTo(3.0);
        });
    }

    @Test
    void anUpsertThatReplacesAStoredPointRecomputesItsBuckets() throws Exception {
        // Points whose attempts are unknown (stored before attempts were tracked) are replaced by the
        // ON CONFLICT update, not by a resume purge: the xmax path, then a recompute from raw.
        String session = "xmax-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        List<MetricUpdate> first = List.of(MetricUpdate.of(session, 1, 0, now, Map.of("x", 1.0)),
                MetricUpdate.of(session, 1, 100, now, Map.of("x", 500.0)),
                MetricUpdate.of(session, 1, 300, now, Map.of("x", -7.0)));
        writer.write(first);
        Db.execute(db, "DELETE FROM metrics.attempts WHERE session_id = ?", session);
        writer.write(List.of(MetricUpdate.of(session, 2, 100, now, Map.of("x", 3.0)),
                MetricUpdate.of(session, 2, 200, now, Map.of("x", 4.0))));
        Map<TierKey, Agg> tiers = Db.tiers(db, session);
        assertThat(Db.points(db, session)).hasSize(4);
        assertThat(tiers.get(new TierKey("x", levels.finest(), 0))) // steps 0, 100, 200 (300 is in the next bucket)
                .isEqualTo(new Agg(1.0, 4.0, 4.0, 200, 8.0, 3));
        assertThat(tiers.get(new TierKey("x", levels.coarsest(), 0)))
                .isEqualTo(new Agg(-7.0, 4.0, -7.0, 300, 1.0, 4));
    }
}
