package io.keisei.metrics;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.service.RetentionJob;
import io.keisei.metrics.support.Db;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Raw points past retention are deleted; tiers stay, so old ranges are still served. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class RetentionTest {

    @Inject
    PointWriter writer;
    @Inject
    RetentionJob job;
    @Inject
    AgroalDataSource db;

    @Test
    void oldRawPointsGoAndTheirRangeIsServedFromTiers() throws Exception {
        String session = "retention-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        long tenDaysAgo = now - Duration.ofDays(10).toMillis();
        List<MetricUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            long wall = i < 3_000 ? tenDaysAgo + i : now; // the first 3000 updates are backdated
            double v = i == 1_234 ? 500.0 : 1.0;
            updates.add(MetricUpdate.of(session, 1, i * 16L, wall, Map.of("loss", v)));
        }
        writer.write(updates);

        // A tiny retention (one day), applied in small transactions.
        long deleted = job.purgeOlderThan(Duration.ofDays(1));
        assertThat(deleted).isGreaterThanOrEqualTo(3_000);
        assertThat(Db.pointCount(db, session)).isEqualTo(1_000);
        assertThat(Db.count(db, """
                SELECT h.purged_through_step FROM metrics.raw_horizon h JOIN metrics.series s ON s.id = h.series_id
                 WHERE s.session_id = ? AND s.metric = 'loss'""",
                session)).isEqualTo(2_999 * 16L);

        // The purged range still answers, from tiers, with its spike and its full count...
        JsonPath old = given().queryParam("names", "loss").queryParam("from", 0).queryParam("to", 2_999 * 16)
                .queryParam("max_points", 1_000).get("/sessions/{s}/metrics", session).then().statusCode(200)
                .extract().jsonPath();
        assertThat(old.getString("series[0].resolution")).isEqualTo("buckets");
        List<List<Number>> buckets = old.getList("series[0].buckets");
        assertThat(buckets.stream().mapToDouble(b -> b.get(3).doubleValue()).max().orElseThrow()).isEqualTo(500.0);
        // Buckets are whole: the last one may reach past `to`, and then counts the points it holds there.
        long lastEnd = buckets.get(buckets.size() - 1).get(1).longValue();
        assertThat(buckets.stream().mapToLong(b -> b.get(5).longValue()).sum()).isEqualTo(lastEnd / 16 + 1);
        // ...while the recent range is still raw.
        given().queryParam("names", "loss").queryParam("from", 3_000 * 16).get("/sessions/{s}/metrics", session).then()
                .statusCode(200).body("series[0].resolution", equalTo("raw"))
                .body("series[0].points.size()", equalTo(1_000));
        given().get("/sessions/{s}/metrics/names", session).then().body("", org.hamcrest.Matchers.contains("loss"));
        given().get("/sessions/{s}/metrics/latest", session).then().body("step", equalTo(3_999 * 16));

        // Running again finds nothing more to delete for this session.
        job.purgeOlderThan(Duration.ofDays(1));
        assertThat(Db.pointCount(db, session)).isEqualTo(1_000);
    }
}
