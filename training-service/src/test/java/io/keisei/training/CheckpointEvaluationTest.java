package io.keisei.training;

import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A model's metadata carries the latest evaluation of its session from the moment it is saved (the
 * built-in trainer writes it with the checkpoint; the registry lists it), also after a resume that has
 * not evaluated again: the models page's "eval win rate" needs no look-up in the metric history.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class CheckpointEvaluationTest {

    /** Evaluated at step 0 only (4 short games); no periodic checkpoints: they come when asked. */
    static final String EVALUATED = """
            {"training": {"total_timesteps": 5000000, "steps_per_epoch": 64, "minibatch_size": 32, "ppo_epochs": 1,
                          "tower_width": 16, "tower_depth": 1, "checkpoint_interval_timesteps": 1000000,
                          "evaluation_interval_timesteps": 1000000},
             "evaluation": {"enable_periodic_evaluation": true, "num_games": 4, "max_moves_per_game": 30},
             "env": {"max_moves_per_game": 60}}""";

    @Inject
    RedisDataSource redis;

    @Test
    void everyCheckpointListsTheLatestEvaluationWithItsStepAlsoAfterAResume() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"evaluated\",\"owner\":\"alice\",\"ownerRole\":\"admin\",\"template\":\"quick-cpu\",\"config\":"
                        + EVALUATED + "}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        SessionLifecycleTest.awaitState(id, "running", Duration.ofSeconds(60));
        awaitTrained(id, 1);

        given().post("/sessions/{id}/pause", id).then().statusCode(200);
        SessionLifecycleTest.awaitState(id, "paused", Duration.ofSeconds(60));
        String first = given().get("/sessions/{id}", id).path("latestCheckpointId");
        Map<String, Object> metrics = metricsOf(first);
        assertThat(metrics).as("metrics of %s", first).containsKeys(MetricNames.EVAL_WIN_RATE_VS_RANDOM,
                MetricNames.EVAL_DRAW_RATE, MetricNames.EVAL_GAMES, MetricNames.EVAL_STEP, MetricNames.POLICY_LOSS);
        assertThat(given().get("/models/{m}", first).then().extract().<Integer>path("step")).isPositive();
        assertThat(((Number) metrics.get(MetricNames.EVAL_WIN_RATE_VS_RANDOM)).doubleValue()).isBetween(0.0, 1.0);
        assertThat(((Number) metrics.get(MetricNames.EVAL_GAMES)).intValue()).isEqualTo(4);
        assertThat(((Number) metrics.get(MetricNames.EVAL_STEP)).longValue()).isZero();

        // The resumed attempt does not evaluate before its checkpoint: the checkpoint carries the recorded evaluation on.
        given().post("/sessions/{id}/resume", id).then().statusCode(200);
        SessionLifecycleTest.awaitState(id, "running", Duration.ofSeconds(60));
        awaitTrained(id, 2);
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        SessionLifecycleTest.awaitState(id, "stopped", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> !first.equals(given().get("/sessions/{id}", id).path("latestCheckpointId")));
        String second = given().get("/sessions/{id}", id).path("latestCheckpointId");
        assertThat(given().get("/models/{m}", second).then().statusCode(200).extract().<Integer>path("attempt")).isEqualTo(2);
        Map<String, Object> carried = metricsOf(second);
        assertThat(carried).as("metrics of %s", second).containsKeys(MetricNames.EVAL_WIN_RATE_VS_RANDOM, MetricNames.EVAL_STEP);
        assertThat(carried.get(MetricNames.EVAL_WIN_RATE_VS_RANDOM)).isEqualTo(metrics.get(MetricNames.EVAL_WIN_RATE_VS_RANDOM));
        assertThat(((Number) carried.get(MetricNames.EVAL_STEP)).longValue()).isZero();

        // The registry's list answers the same metadata as the single read.
        JsonPath list = given().queryParam("session", id).get("/models").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("items.metrics.'" + MetricNames.EVAL_WIN_RATE_VS_RANDOM + "'")).hasSize(2).doesNotContainNull();
    }

    /** Until the attempt has trained an epoch (a checkpoint then lies past the step it started at). */
    private void awaitTrained(String session, int attempt) {
        await().atMost(Duration.ofSeconds(60)).until(() -> redis.stream(String.class).xrange(Streams.METRICS, StreamRange.of("-", "+"))
                .stream().map(m -> StreamCodec.fromEntry(m.payload(), MetricUpdate.class))
                .anyMatch(m -> m.session().equals(session) && m.attempt() == attempt && m.metrics().containsKey(MetricNames.POLICY_LOSS)));
    }

    private static Map<String, Object> metricsOf(String model) {
        return given().get("/models/{m}", model).then().statusCode(200).extract().jsonPath().getMap("metrics");
    }
}
