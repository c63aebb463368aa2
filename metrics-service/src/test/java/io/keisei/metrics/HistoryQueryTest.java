package io.keisei.metrics;

import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** GET /sessions/{s}/metrics: downsampling that keeps spikes, max_points, raw paging, names. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class HistoryQueryTest {

    static final int N = 6_000;
    static final long SPACING = 64;
    static final long SPIKE_STEP = 3_217 * SPACING;
    static final long DIP_STEP = 5_001 * SPACING;

    @Inject
    PointWriter writer;
    @Inject
    TierLevels levels;

    /** One run for the whole class, loaded by the first test. */
    static String session;

    @BeforeEach
    void load() throws Exception {
        if (session != null) {
            return;
        }
        session = "hist-" + UUID.randomUUID();
        Random r = new Random(7);
        List<MetricUpdate> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < N; i++) {
            long step = i * SPACING;
            Map<String, Double> m = new LinkedHashMap<>();
            double loss = 1 + r.nextGaussian() * 0.01;
            if (step == SPIKE_STEP) {
                loss = 1_000;
            }
            if (step == DIP_STEP) {
                loss = -1_000;
            }
            m.put("loss", loss);
            if (i % 3 == 0) {
                m.put("reward", r.nextDouble());
            }
            if (i % 50 == 0) {
                m.put("eval/win_rate", r.nextDouble());
            }
            batch.add(MetricUpdate.of(session, 1, step, now + i, m));
            if (batch.size() == 500) {
                writer.write(batch);
                batch.clear();
            }
        }
        writer.write(batch);
    }

    @Test
    void aSingleSpikeShowsAtEveryZoomLevel() {
        long last = (N - 1) * SPACING;
        long[][] windows = {
                {0, last}, {SPIKE_STEP - 150_000, SPIKE_STEP + 40_000}, {SPIKE_STEP - 50_000, SPIKE_STEP + 10_000},
                {SPIKE_STEP - 20_000, SPIKE_STEP + 20_000}, {SPIKE_STEP - 1_000, SPIKE_STEP + 5_000}};
        Set<String> resolutions = new HashSet<>();
        for (int maxPoints : new int[]{10, 100, 1000}) {
            for (long[] w : windows) {
                JsonPath body = given().queryParam("names", "loss").queryParam("from", Math.max(0, w[0]))
                        .queryParam("to", w[1]).queryParam("max_points", maxPoints)
                        .get("/sessions/{s}/metrics", session).then().statusCode(200).extract().jsonPath();
                String resolution = body.getString("series[0].resolution");
                resolutions.add(resolution + (resolution.equals("raw") ? "" : body.getString("series[0].tier")));
                assertThat(seriesSize(body)).isLessThanOrEqualTo(maxPoints);
                assertThat(maxAt(body, SPIKE_STEP)).as("spike in %s..%s at %d", w[0], w[1], maxPoints).isEqualTo(1_000.0);
            }
        }
        // Raw, and buckets of several tiers, were all exercised.
        assertThat(resolutions).contains("raw").hasSizeGreaterThanOrEqualTo(4);
        JsonPath whole = given().queryParam("names", "loss").get("/sessions/{s}/metrics", session).then().statusCode(200)
                .extract().jsonPath();
        List<List<Number>> buckets = whole.getList("series[0].buckets");
        assertThat(buckets.stream().mapToDouble(b -> b.get(2).doubleValue()).min().orElseThrow()).isEqualTo(-1_000.0);
        assertThat(buckets.stream().mapToLong(b -> b.get(5).longValue()).sum()).isEqualTo(N);
    }

    @Test
    void rangesWiderThanTheCoarsestTierAreMergedFromItsBuckets() throws Exception {
        // 300M steps at max_points=10 need buckets of 2^25 steps, coarser than any configured tier.
        String wide = "wide-" + UUID.randomUUID();
        List<MetricUpdate> updates = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            updates.add(MetricUpdate.of(wide, 1, i * 10_000_000L, System.currentTimeMillis(), Map.of("x", i == 17 ? 99.0 : 1.0)));
        }
        writer.write(updates);
        JsonPath body = given().queryParam("max_points", 10).get("/sessions/{s}/metrics", wide).then().statusCode(200)
                .extract().jsonPath();
        assertThat(body.getInt("series[0].tier")).isGreaterThan(levels.coarsest());
        List<List<Number>> buckets = body.getList("series[0].buckets");
        assertThat(buckets).hasSizeLessThanOrEqualTo(10);
        assertThat(buckets.stream().mapToLong(b -> b.get(5).longValue()).sum()).isEqualTo(31);
        assertThat(buckets.stream().mapToDouble(b -> b.get(3).doubleValue()).max().orElseThrow()).isEqualTo(99.0);
        long width = body.getLong("series[0].bucketSteps");
        assertThat(buckets).allSatisfy(b -> assertThat(b.get(1).longValue() - b.get(0).longValue() + 1).isEqualTo(width));
    }

    @Test
    void maxPointsIsRespectedAndRowsReadStayBounded() {
        Random r = new Random(11);
        for (int i = 0; i < 25; i++) {
            long from = r.nextInt((int) (N * SPACING));
            long to = from + r.nextInt((int) (N * SPACING));
            int maxPoints = 10 + r.nextInt(1_500);
            JsonPath body = given().queryParam("names", "loss,reward,eval/win_rate").queryParam("from", from)
                    .queryParam("to", to).queryParam("max_points", maxPoints)
                    .get("/sessions/{s}/metrics", session).then().statusCode(200).extract().jsonPath();
            for (int s = 0; s < 3; s++) {
                List<?> entries = body.getList("series[" + s + "].points") != null
                        ? body.getList("series[" + s + "].points") : body.getList("series[" + s + "].buckets");
                assertThat(entries.size()).isLessThanOrEqualTo(maxPoints);
            }
            assertThat(body.getLong("rowsRead")).isLessThanOrEqualTo(3L * ((levels.count() + 1) * (maxPoints + 1L) + 1));
        }
    }

    @Test
    void rawPointsComeBackWhenTheRangeHoldsFewEnough() {
        given().queryParam("names", "loss").queryParam("from", 0).queryParam("to", 999 * SPACING)
                .get("/sessions/{s}/metrics", session).then().statusCode(200)
                .body("series[0].resolution", equalTo("raw"))
                .body("series[0].points.size()", equalTo(1_000))
                .body("series[0].points[1][0]", equalTo((int) SPACING));
        given().queryParam("names", "loss").queryParam("from", 0).queryParam("to", 1_000 * SPACING)
                .get("/sessions/{s}/metrics", session).then().statusCode(200)
                .body("series[0].resolution", equalTo("buckets"));
    }

    @Test
    void pagingReturnsEveryRawPointExactlyOnce() {
        long from = 100 * SPACING + 1;
        long to = 5_000 * SPACING;
        Set<String> seen = new HashSet<>();
        int total = 0;
        String cursor = null;
        int pages = 0;
        do {
            var req = given().queryParam("names", "reward,loss,eval/win_rate").queryParam("from", from)
                    .queryParam("to", to).queryParam("limit", 333);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath body = req.get("/sessions/{s}/metrics", session).then().statusCode(200).extract().jsonPath();
            int inPage = 0;
            for (int s = 0; s < body.getList("series").size(); s++) {
                String metric = body.getString("series[" + s + "].metric");
                List<List<Number>> pts = body.getList("series[" + s + "].points");
                for (List<Number> p : pts) {
                    long step = p.get(0).longValue();
                    assertThat(step).isBetween(from, to);
                    assertThat(seen.add(metric + "@" + step)).as("%s@%d twice", metric, step).isTrue();
                    inPage++;
                }
            }
            assertThat(inPage).isLessThanOrEqualTo(333);
            total += inPage;
            cursor = body.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 1_000);
        int expectedLoss = 5_000 - 101 + 1;
        int expectedReward = countMultiples(101, 5_000, 3);
        int expectedEval = countMultiples(101, 5_000, 50);
        assertThat(total).isEqualTo(expectedLoss + expectedReward + expectedEval);
        assertThat(seen).hasSize(total);
    }

    @Test
    void namesListEveryMetricAndHistoryWithoutNamesReturnsAll() {
        given().get("/sessions/{s}/metrics/names", session).then().statusCode(200)
                .body("", org.hamcrest.Matchers.contains("eval/win_rate", "loss", "reward"));
        given().get("/sessions/{s}/metrics", session).then().statusCode(200)
                .body("series.metric", org.hamcrest.Matchers.containsInAnyOrder("eval/win_rate", "loss", "reward"));
        given().queryParam("names", "nothing").get("/sessions/{s}/metrics", session).then().statusCode(200)
                .body("series[0].points.size()", equalTo(0));
        given().get("/sessions/{s}/metrics/latest", session).then().statusCode(200)
                .body("step", equalTo((int) ((N - 1) * SPACING)));
    }

    @Test
    void badParametersAnswerProblemsWithFieldErrors() {
        Object[][] cases = {
                {"max_points", "5", "max_points"}, {"max_points", "10001", "max_points"}, {"max_points", "abc", "max_points"},
                {"from", "-1", "from"}, {"from", "x", "from"}, {"to", "1.5", "to"},
                {"names", "a,,b", "names"}, {"names", "bad name", "names"}, {"limit", "0", "limit"},
                {"limit", "10001", "limit"}, {"cursor", "not-a-cursor", "cursor"}};
        for (Object[] c : cases) {
            given().queryParam((String) c[0], c[1]).get("/sessions/{s}/metrics", session).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("errors.field", hasItem(c[2]));
        }
        given().queryParam("from", 10).queryParam("to", 5).get("/sessions/{s}/metrics", session).then().statusCode(400)
                .body("errors.field", hasItem("to"));
        given().queryParam("max_points", 1).queryParam("from", -3).get("/sessions/{s}/metrics", session).then()
                .statusCode(400).body("errors.size()", equalTo(2));
        given().queryParam("format", "xml").get("/sessions/{s}/metrics/export", session).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("format"));
    }

    private static int countMultiples(int from, int to, int m) {
        int n = 0;
        for (int i = from; i <= to; i++) {
            if (i % m == 0) {
                n++;
            }
        }
        return n;
    }

    private static int seriesSize(JsonPath body) {
        List<?> pts = body.getList("series[0].points");
        return pts != null ? pts.size() : body.getList("series[0].buckets").size();
    }

    /** The largest value the series shows for the step: a raw point, or the max of the bucket holding it. */
    private static double maxAt(JsonPath body, long step) {
        if ("raw".equals(body.getString("series[0].resolution"))) {
            List<List<Number>> pts = body.getList("series[0].points");
            return pts.stream().filter(p -> p.get(0).longValue() == step).mapToDouble(p -> p.get(1).doubleValue())
                    .findFirst().orElse(Double.NaN);
        }
        List<List<Number>> buckets = body.getList("series[0].buckets");
        return buckets.stream().filter(b -> b.get(0).longValue() <= step && step <= b.get(1).longValue())
                .mapToDouble(b -> b.get(3).doubleValue()).findFirst().orElse(Double.NaN);
    }
}
