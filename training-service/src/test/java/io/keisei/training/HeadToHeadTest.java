package io.keisei.training;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code GET /evaluations/head-to-head}: the games of completed evaluations summed per pair of players, both colours
 * together, from the side of the smaller id; evaluations that did not complete, and other sessions' evaluations when
 * one session is asked for, do not count. The rows are written directly (no match is played): the table depends on
 * the stored games only.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class HeadToHeadTest {

    @Inject
    EntityManager em;

    @Test
    void gamesOfCompletedEvaluationsAreSummedPerPair() {
        String session = createSession("h2h");
        String other = createSession("h2h other");
        String tag = UUID.randomUUID().toString();
        // Ids chosen so that the order is known: m1 < m2 < random.
        String m1 = "m-" + tag + "-1";
        String m2 = "m-" + tag + "-2";
        checkpoint(m1, session, 100);
        checkpoint(m2, session, 200);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

        // m1 against random: m1 wins with black, draws with white, loses with black, wins with white: 2-1-1.
        String e1 = evaluation(session, m1, "random", "completed", t0);
        game(e1, 0, m1, "random", "black_win");
        game(e1, 1, "random", m1, "draw");
        game(e1, 2, m1, "random", "white_win");
        game(e1, 3, "random", m1, "white_win");
        // m2 against m1 twice: m2 wins with black and draws (0-1-1 for m1), then m1 wins with black (1-1-1 over both).
        String e2 = evaluation(session, m2, m1, "completed", t0.plusSeconds(60));
        game(e2, 0, m2, m1, "black_win");
        game(e2, 1, m1, m2, "draw");
        String e3 = evaluation(session, m1, m2, "completed", t0.plusSeconds(120));
        game(e3, 0, m1, m2, "black_win");
        // Not completed: its games are not counted.
        String failed = evaluation(session, m2, "random", "failed", t0.plusSeconds(180));
        game(failed, 0, m2, "random", "black_win");
        evaluation(session, m2, "baseline:1", "running", null);
        // Another session's evaluation: only across sessions.
        String elsewhere = evaluation(other, m1, "baseline:1", "completed", t0.plusSeconds(240));
        game(elsewhere, 0, "baseline:1", m1, "black_win");

        JsonPath h = given().queryParam("session", session).get("/evaluations/head-to-head").then().statusCode(200)
                .extract().jsonPath();
        assertThat(h.getList("players.id")).containsExactly(m1, m2, "random");
        assertThat(h.getMap("players.find { it.id == '" + m2 + "' }")).containsEntry("session", session).containsEntry("step", 200);
        Map<String, Object> random = h.getMap("players.find { it.id == 'random' }");
        assertThat(random.get("session")).isNull();
        assertThat(random.get("step")).isNull();
        assertThat(h.getList("pairs")).hasSize(2);
        Map<String, Object> vsRandom = h.getMap("pairs.find { it.b == 'random' }");
        assertThat(vsRandom).containsEntry("a", m1).containsEntry("aWins", 2).containsEntry("draws", 1).containsEntry("bWins", 1)
                .containsEntry("games", 4).containsEntry("evaluations", 1).containsEntry("latestEvaluation", e1);
        Map<String, Object> models = h.getMap("pairs.find { it.b == '" + m2 + "' }");
        assertThat(models).containsEntry("a", m1).containsEntry("aWins", 1).containsEntry("draws", 1).containsEntry("bWins", 1)
                .containsEntry("games", 3).containsEntry("evaluations", 2).containsEntry("latestEvaluation", e3);

        // Across sessions: the other session's pair too, from the side of the smaller id ("baseline:1" < "m-…").
        JsonPath all = given().get("/evaluations/head-to-head").then().statusCode(200).extract().jsonPath();
        Map<String, Object> vsBaseline = all.getMap("pairs.find { it.b == '" + m1 + "' && it.a == 'baseline:1' }");
        assertThat(vsBaseline).containsEntry("aWins", 1).containsEntry("bWins", 0).containsEntry("games", 1)
                .containsEntry("latestEvaluation", elsewhere);
        assertThat(all.getList("players.id")).contains("baseline:1", m1, m2, "random");
        assertThat(all.getList("pairs.findAll { it.a == '" + m2 + "' || it.b == '" + m2 + "' }")).hasSize(1);
    }

    @Test
    void aSessionWithoutCompletedEvaluationsHasAnEmptyTableAndABadSessionIsAFieldError() {
        given().queryParam("session", "no-such-session-" + UUID.randomUUID()).get("/evaluations/head-to-head").then()
                .statusCode(200).body("players.size()", equalTo(0)).body("pairs.size()", equalTo(0));
        given().queryParam("session", "x".repeat(129)).get("/evaluations/head-to-head").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("session"));
    }

    private static String createSession(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"owner\":\"alice\",\"template\":\"quick-cpu\"}")
                .post("/sessions").then().statusCode(201).extract().path("id");
    }

    private void checkpoint(String id, String session, long step) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into training.checkpoints (id, session_id, attempt, step, path,"
                        + " size_bytes, sha256, created_at) values (?1, ?2, 1, ?3, ?4, 1, ?5, now())")
                .setParameter(1, id).setParameter(2, session).setParameter(3, step).setParameter(4, "/nowhere/" + id + ".ckpt")
                .setParameter(5, "0".repeat(64)).executeUpdate());
    }

    private String evaluation(String session, String a, String b, String state, Instant finished) {
        String id = "eval-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into training.evaluations (id, session_id, owner, player_a,"
                        + " player_b, games, seed, priority, state, created_at, finished_at) values (?1, ?2, 'alice', ?3, ?4, 4, 1,"
                        + " -10, ?5, ?6, cast(?7 as timestamptz))")
                .setParameter(1, id).setParameter(2, session).setParameter(3, a).setParameter(4, b).setParameter(5, state)
                .setParameter(6, Timestamp.from(finished == null ? Instant.now() : finished.minusSeconds(30)))
                .setParameter(7, finished == null ? null : Timestamp.from(finished)).executeUpdate());
        return id;
    }

    private void game(String evaluation, int index, String black, String white, String result) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into training.evaluation_games (evaluation_id, idx, black,"
                        + " white, result, reason, plies, start_sfen, moves) values (?1, ?2, ?3, ?4, ?5, 'checkmate', 1, 'startpos', '7g7f')")
                .setParameter(1, evaluation).setParameter(2, index).setParameter(3, black).setParameter(4, white)
                .setParameter(5, result).executeUpdate());
    }
}
