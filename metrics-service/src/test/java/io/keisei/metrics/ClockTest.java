package io.keisei.metrics;

import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.metrics.service.RetentionJob;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** GET /sessions/{s}/metrics/clock: when the trainer reported which step, sampled over a step range. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class ClockTest {

    static final int N = 6_000;
    static final long SPACING = 64;
    static final long LAST = (N - 1) * SPACING;

    @Inject
    PointWriter writer;
    @Inject
    RetentionJob retention;

    /** One run for the whole class: a point every 64 steps, one per second of wall time. */
    static String session;
    static long start;

    @BeforeEach
    void load() throws Exception {
        if (session != null) {
            return;
        }
        session = "clock-" + UUID.randomUUID();
        start = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
        // The sparse evaluation metric comes first, so its series has the lowest id: the clock must still use the
        // dense series (every update), not the one reported every 50th update.
        writer.write(List.of(MetricUpdate.of(session, 1, 0, wall(0), Map.of("eval/win_rate", 0.5))));
        List<MetricUpdate> batch = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Map<String, Double> m = i % 50 == 0 ? Map.of("loss", 1.0, "eval/win_rate", 0.5) : Map.of("loss", 1.0);
            batch.add(MetricUpdate.of(session, 1, i * SPACING, wall(i * SPACING), m));
            if (batch.size() == 1_000) {
                writer.write(batch);
                batch.clear();
            }
        }
        writer.write(batch);
    }

    /** The wall time the run reported step {@code step} at: 1 s per update, plus a few odd milliseconds. */
    static long wall(long step) {
        long i = step / SPACING;
        return start + i * 1_000 + i % 7;
    }

    @Test
    void theDefaultSamplesTheWholeRunEvenlyWithItsFirstAndLastStep() {
        List<List<Number>> points = clock(session, Map.of());
        assertThat(points).hasSize(500);
        assertExact(points);
        assertThat(step(points.get(0))).isZero();
        assertThat(step(points.get(points.size() - 1))).isEqualTo(LAST);
        // Evenly spread: 499 gaps over the run, none much wider than the even share.
        long even = LAST / 499;
        for (int i = 1; i < points.size(); i++) {
            assertThat(step(points.get(i)) - step(points.get(i - 1))).isLessThanOrEqualTo(even + SPACING);
        }
    }

    @Test
    void enoughSamplesGiveEveryPointOfTheDenseSeries() {
        List<List<Number>> points = clock(session, Map.of("max_points", 10_000));
        assertThat(points).hasSize(N);
        assertExact(points);
    }

    @Test
    void aRangeKeepsItsFirstAndLastReportedStep() {
        long from = 1_000 * SPACING + 1;
        long to = 2_000 * SPACING - 1;
        List<List<Number>> points = clock(session, Map.of("from", from, "to", to, "max_points", 100));
        assertThat(points).hasSizeBetween(95, 100);
        assertExact(points);
        assertThat(step(points.get(0))).isEqualTo(1_001 * SPACING);
        assertThat(step(points.get(points.size() - 1))).isEqualTo(1_999 * SPACING);
        assertThat(points).allSatisfy(p -> assertThat(step(p)).isBetween(from, to));

        // Two samples: just the ends. A range holding one point: just that one.
        List<List<Number>> ends = clock(session, Map.of("from", from, "to", to, "max_points", 2));
        assertThat(ends).extracting(ClockTest::step).containsExactly(1_001 * SPACING, 1_999 * SPACING);
        List<List<Number>> one = clock(session, Map.of("from", 3 * SPACING - 1, "to", 3 * SPACING + 1));
        assertThat(one).extracting(ClockTest::step).containsExactly(3 * SPACING);
        assertExact(one);
        // The open end is the last step; to beyond it changes nothing.
        assertThat(clock(session, Map.of("from", LAST - 10 * SPACING, "to", Long.MAX_VALUE)))
                .extracting(ClockTest::step).endsWith(LAST).hasSize(11);
    }

    @Test
    void noPointsNoClock() {
        for (Map<String, Object> q : List.<Map<String, Object>>of(Map.of("from", LAST + 1), Map.of("from", 65, "to", 127))) {
            given().queryParams(q).get("/sessions/{s}/metrics/clock", session).then().statusCode(200)
                    .body("session", equalTo(session)).body("points.size()", equalTo(0));
        }
        // An unknown session answers like the other reads of this service (attempts, names): 200 and nothing.
        given().get("/sessions/{s}/metrics/clock", "no-such-" + UUID.randomUUID()).then().statusCode(200)
                .body("points.size()", equalTo(0));
    }

    @Test
    void stepsWhoseRawPointsRetentionDeletedHaveNoClock() throws Exception {
        String old = "clock-retention-" + UUID.randomUUID();
        long now = System.currentTimeMillis();
        long tenDaysAgo = now - Duration.ofDays(10).toMillis();
        List<MetricUpdate> updates = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            updates.add(MetricUpdate.of(old, 1, i * 16L, i < 300 ? tenDaysAgo + i : now + i, Map.of("loss", 1.0)));
        }
        writer.write(updates);
        retention.purgeOlderThan(Duration.ofDays(1));
        List<List<Number>> points = clock(old, Map.of("max_points", 1_000));
        assertThat(points).hasSize(100);
        assertThat(step(points.get(0))).isEqualTo(300 * 16L);
        assertThat(millis(points.get(0))).isEqualTo(now + 300);
        assertThat(clock(old, Map.of("to", 299 * 16))).isEmpty();
    }

    @Test
    void badParametersAnswerProblemsWithFieldErrors() {
        Object[][] cases = {
                {"max_points", "1", "max_points"}, {"max_points", "10001", "max_points"}, {"max_points", "abc", "max_points"},
                {"from", "-1", "from"}, {"from", "x", "from"}, {"to", "1.5", "to"}};
        for (Object[] c : cases) {
            given().queryParam((String) c[0], c[1]).get("/sessions/{s}/metrics/clock", session).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors.field", hasItem(c[2]));
        }
        given().queryParam("from", 10).queryParam("to", 5).get("/sessions/{s}/metrics/clock", session).then()
                .statusCode(400).body("errors.field", hasItem("to"));
        given().queryParam("max_points", 0).queryParam("from", -3).get("/sessions/{s}/metrics/clock", session).then()
                .statusCode(400).body("errors.size()", equalTo(2));
    }

    private static List<List<Number>> clock(String s, Map<String, ?> query) {
        JsonPath body = given().queryParams(query).get("/sessions/{s}/metrics/clock", s).then().statusCode(200)
                .body("session", equalTo(s)).extract().jsonPath();
        return body.getList("points");
    }

    /** Every sample is a stored point with its own wall time, in strictly increasing step order. */
    private static void assertExact(List<List<Number>> points) {
        long previous = -1;
        for (List<Number> p : points) {
            assertThat(p).hasSize(2);
            assertThat(step(p)).isGreaterThan(previous).matches(s -> s % SPACING == 0);
            assertThat(millis(p)).as("time of step %d", step(p)).isEqualTo(wall(step(p)));
            previous = step(p);
        }
    }

    private static long step(List<Number> p) {
        return p.get(0).longValue();
    }

    private static long millis(List<Number> p) {
        return p.get(1).longValue();
    }
}
