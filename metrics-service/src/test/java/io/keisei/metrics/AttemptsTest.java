package io.keisei.metrics;

import io.keisei.common.stream.GroupConsumer.Received;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.persistence.PointWriter;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** A resume supersedes the earlier attempt's later steps; attempts are served as chart markers. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class AttemptsTest {

    @Inject
    PointWriter writer;

    @Test
    void aResumeSupersedesLaterStepsAndAttemptsMarkTheBoundaries() throws Exception {
        String session = "attempts-" + UUID.randomUUID();
        long t0 = System.currentTimeMillis() - 60_000;
        List<MetricUpdate> first = new ArrayList<>();
        for (long step = 0; step <= 10_000; step += 100) {
            first.add(MetricUpdate.of(session, 1, step, t0 + step, Map.of("loss", step >= 6_000 ? 99.0 : 1.0)));
        }
        writer.write(first);
        // Crash at 10000, resume from the checkpoint at 5000: attempt 2's first update is at 5100.
        List<MetricUpdate> second = new ArrayList<>();
        for (long step = 5_100; step <= 7_000; step += 100) {
            second.add(MetricUpdate.of(session, 2, step, t0 + 20_000 + step, Map.of("loss", 2.0)));
        }
        writer.write(second.subList(0, 3));
        writer.write(second.subList(3, second.size()));
        writer.writeEvents(List.of(new Received<>("1-" + session,
                LifecycleEvent.of(EventType.SESSION_STARTED, session, 3, "trainer", "running", null))));

        JsonPath attempts = given().get("/sessions/{s}/attempts", session).then().statusCode(200).extract().jsonPath();
        assertThat(attempts.getList("attempt", Integer.class)).containsExactly(1, 2, 3);
        assertThat(attempts.getLong("[0].firstStep")).isZero();
        assertThat(attempts.getLong("[0].lastStep")).isEqualTo(5_000);
        assertThat(attempts.getLong("[1].firstStep")).isEqualTo(5_100);
        assertThat(attempts.getLong("[1].lastStep")).isEqualTo(7_000);
        assertThat(attempts.getString("[1].startedAt")).isNotNull();
        given().get("/sessions/{s}/attempts", session).then().body("[2].firstStep", nullValue())
                .body("[2].startedAt", org.hamcrest.Matchers.notNullValue());

        // The curve lines up: attempt 1's values after the resume are gone, from raw and from every tier.
        given().queryParam("names", "loss").get("/sessions/{s}/metrics", session).then().statusCode(200)
                .body("series[0].resolution", equalTo("raw"))
                .body("series[0].points.size()", equalTo(51 + 20))
                .body("series[0].points[-1]", org.hamcrest.Matchers.contains(7_000, 2.0f));
        given().queryParam("names", "loss").queryParam("max_points", 10).get("/sessions/{s}/metrics", session).then()
                .statusCode(200)
                .body("series[0].resolution", equalTo("buckets"))
                .body("series[0].buckets.collect { it[3] }.max()", equalTo(2.0f))
                .body("series[0].buckets.collect { it[5] }.sum()", equalTo(71));
        given().get("/sessions/{s}/metrics/latest", session).then().body("step", equalTo(7_000));
    }
}
