package io.keisei.training;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Evaluations as jobs, end to end inside training-service with a real resource-service and the real built-in
 * trainer's match command: a briefly trained model plays the random player and the baseline engine, every game is
 * kept with its moves, the ratings put the anchors where they belong, and a running evaluation can be cancelled.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class EvaluationTest {

    @Test
    void aModelPlaysTheAnchorsItsGamesAreKeptAndRatingsFollow() {
        String session = given().contentType(ContentType.JSON)
                .body("{\"name\":\"rated\",\"owner\":\"alice\",\"ownerRole\":\"admin\",\"template\":\"quick-cpu\",\"config\":"
                        + CheckpointEvaluationTest.EVALUATED + "}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        given().post("/sessions/{id}/start", session).then().statusCode(200);
        SessionLifecycleTest.awaitState(session, "running", Duration.ofSeconds(60));
        given().post("/sessions/{id}/pause", session).then().statusCode(200);
        SessionLifecycleTest.awaitState(session, "paused", Duration.ofSeconds(60));
        String model = given().get("/sessions/{id}", session).path("latestCheckpointId");
        assertThat(model).isNotNull();

        String vsRandom = evaluate(model, "random", 4, 7);
        String baselineVsRandom = evaluate("baseline:1", "random", 4, 7);
        JsonPath done = awaitEnded(vsRandom);
        assertThat(done.getString("state")).as(done.prettify()).isEqualTo("completed");
        assertThat(done.getString("session")).isEqualTo(session);
        assertThat(done.getInt("aWins") + done.getInt("bWins") + done.getInt("draws")).isEqualTo(4);
        assertThat(awaitEnded(baselineVsRandom).getString("state")).isEqualTo("completed");

        // Every game with its moves; colours alternate; one game alone reads the same.
        List<Map<String, Object>> games = given().get("/evaluations/{id}/games", vsRandom).then().statusCode(200)
                .extract().jsonPath().getList("");
        assertThat(games).hasSize(4);
        assertThat(games).extracting(g -> g.get("black")).containsExactly(model, "random", model, "random");
        assertThat(games).allSatisfy(g -> {
            assertThat((List<?>) g.get("moves")).hasSize((Integer) g.get("plies"));
            assertThat((String) g.get("startSfen")).isNotBlank();
        });
        given().get("/evaluations/{id}/games/{i}", vsRandom, 2).then().statusCode(200)
                .body("black", equalTo(model)).body("moves", equalTo(games.get(2).get("moves")));
        given().get("/evaluations/{id}/games/{i}", vsRandom, 9).then().statusCode(404);

        // The same seed and players play the same games.
        String again = evaluate("baseline:1", "random", 4, 7);
        assertThat(awaitEnded(again).getString("state")).isEqualTo("completed");
        assertThat(given().get("/evaluations/{id}/games", again).then().extract().jsonPath().getList("moves"))
                .isEqualTo(given().get("/evaluations/{id}/games", baselineVsRandom).then().extract().jsonPath().getList("moves"));

        // Ratings: random is the anchor at 0 with no interval; everyone else is fitted with an interval around it.
        JsonPath ratings = given().get("/evaluations/ratings").then().statusCode(200).extract().jsonPath();
        assertThat(ratings.getList("player")).contains("random", "baseline:1", model);
        Map<String, Object> random = ratings.getMap("find { it.player == 'random' }");
        assertThat(((Number) random.get("elo")).doubleValue()).isZero();
        assertThat(random.get("anchor")).isEqualTo(true);
        Map<String, Object> rated = ratings.getMap("find { it.player == '" + model + "' }");
        assertThat(rated.get("session")).isEqualTo(session);
        assertThat(((Number) rated.get("lower")).doubleValue()).isLessThan(((Number) rated.get("elo")).doubleValue());
        assertThat(((Number) rated.get("upper")).doubleValue()).isGreaterThan(((Number) rated.get("elo")).doubleValue());
        assertThat(rated.get("games")).isEqualTo(4);
        given().queryParam("session", session).get("/evaluations/ratings").then().statusCode(200)
                .body("player", hasItem(model));
        given().queryParam("session", session).get("/evaluations").then().statusCode(200)
                .body("id", hasItem(vsRandom));
    }

    @Test
    void aRunningEvaluationIsCancelledAndItsAllocationReleased() {
        String id = evaluate("baseline:2", "baseline:1", 2000, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(given().get("/evaluations/{id}", id).path("state")));
        given().post("/evaluations/{id}/cancel", id).then().statusCode(200)
                .body("state", equalTo("cancelled")).body("stateReason", containsString("cancelled"));
        // Once ended it stays so.
        given().post("/evaluations/{id}/cancel", id).then().statusCode(409);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                .baseUri(WithResourceService.resourceServiceUrl()).basePath("")
                .header(io.keisei.testsupport.TestServiceCredential.HEADER, io.keisei.testsupport.TestServiceCredential.TOKEN)
                .get("/allocations").then().statusCode(200)
                .body("findAll { it.session == '" + id + "' && it.state == 'granted' }.size()", equalTo(0)));
    }

    @Test
    void badEvaluationsAreRefusedWithFieldErrors() {
        given().contentType(ContentType.JSON).body("{\"playerA\":\"random\",\"playerB\":\"random\"}")
                .post("/evaluations").then().statusCode(400)
                .body("errors.field", hasItem("playerB"));
        given().contentType(ContentType.JSON).body("{\"playerA\":\"no-such-model\",\"playerB\":\"baseline:9\",\"games\":0}")
                .post("/evaluations").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("playerA", "playerB", "games"));
        given().contentType(ContentType.JSON).body("{\"playerB\":\"random\"}")
                .post("/evaluations").then().statusCode(400)
                .body("errors.field", hasItem("playerA"));
        given().get("/evaluations/{id}", "eval-none").then().statusCode(404);
    }

    private static String evaluate(String a, String b, int games, long seed) {
        return given().contentType(ContentType.JSON)
                .body("{\"playerA\":\"" + a + "\",\"playerB\":\"" + b + "\",\"games\":" + games + ",\"seed\":" + seed
                        + ",\"owner\":\"alice\",\"ownerRole\":\"admin\"}")
                .post("/evaluations").then().statusCode(201).extract().path("id");
    }

    private static JsonPath awaitEnded(String id) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("completed", "failed", "cancelled").contains(given().get("/evaluations/{id}", id).<String>path("state")));
        return given().get("/evaluations/{id}", id).then().extract().jsonPath();
    }
}
