package io.keisei.metrics;

import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /sessions/{s}/metrics/export streams every raw point, as CSV or JSON, as an attachment. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class ExportTest {

    static final int UPDATES = 30_000;

    @Inject
    PointWriter writer;

    @Test
    void exportStreamsEveryPointAsCsvAndJson() throws Exception {
        String session = "export-" + UUID.randomUUID();
        List<MetricUpdate> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < UPDATES; i++) {
            batch.add(MetricUpdate.of(session, 1, i * 10L, now, i % 2 == 0 ? Map.of("a", i * 0.5, "b", -i * 1.0) : Map.of("a", 1.0)));
            if (batch.size() == 1_000) {
                writer.write(batch);
                batch.clear();
            }
        }
        int points = UPDATES + UPDATES / 2;

        Response csv = given().queryParam("format", "csv").get("/sessions/{s}/metrics/export", session);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).isEqualTo("attachment; filename=\"metrics-" + session + ".csv\"");
        // Streamed: no Content-Length, sent in chunks as the cursor advances.
        assertThat(csv.header("Content-Length")).isNull();
        assertThat(csv.header("Transfer-Encoding")).isEqualTo("chunked");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(csv.asInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("metric,step,value,attempt,wall_time");
            String first = r.readLine();
            assertThat(first).startsWith("a,0,0.0,1,");
            long rows = 1 + r.lines().count();
            assertThat(rows).isEqualTo(points);
        }

        Response json = given().queryParam("format", "json").queryParam("names", "b")
                .get("/sessions/{s}/metrics/export", session);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.header("Content-Disposition")).endsWith(".json\"");
        List<Map<String, Object>> exported = json.jsonPath().getList("points");
        assertThat(exported).hasSize(UPDATES / 2);
        assertThat(exported.get(1)).containsEntry("metric", "b").containsEntry("step", 20).containsEntry("value", -2.0f);
        assertThat(json.jsonPath().getString("session")).isEqualTo(session);

        given().get("/sessions/{s}/metrics/export", "nobody-" + UUID.randomUUID()).then().statusCode(200)
                .body(org.hamcrest.Matchers.equalTo("metric,step,value,attempt,wall_time\n"));
    }
}
