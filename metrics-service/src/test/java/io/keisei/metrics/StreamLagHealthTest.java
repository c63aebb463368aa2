package io.keisei.metrics;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The lag of the "metrics-service" groups on keisei:metrics, keisei:events and keisei:games: the wellness check
 * "stream-lag" and the gauges keisei.stream.group.lag / keisei.stream.group.headroom.used (the monitor itself is
 * tested in service-common, GroupLagMonitorTest).
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class StreamLagHealthTest {

    @Test
    void everyConsumedStreamIsWatchedInWellnessAndPrometheus() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().get("/q/health/well").then()
                        .body("checks.find { it.name == 'stream-lag' }.status", equalTo("UP"))
                        .body("checks.find { it.name == 'stream-lag' }.data.groups", equalTo(3)));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("keisei_stream_group_lag_entries{group=\"metrics-service\",stream=\"keisei:metrics\""))
                .body(containsString("keisei_stream_group_headroom_used{group=\"metrics-service\",stream=\"keisei:games\""));
    }
}
