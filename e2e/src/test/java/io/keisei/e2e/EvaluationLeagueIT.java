package io.keisei.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The evaluation league through the gateway, as a client of the API would use it (issue #21's end-to-end check): a
 * session is trained briefly into two checkpoints (a pause, a resume, a pause); the later checkpoint plays the
 * earlier one, the earlier one plays the random player and the baseline engine plays random; the ratings put random
 * at 0 and rate both checkpoints and the baseline with intervals; the head-to-head names the pair's score; and a
 * game of the checkpoints' match is read back move by move, alone and in the list, with its start position.
 */
@ExtendWith(E2e.class)
class EvaluationLeagueIT {

    private static String sessionId;

    @AfterAll
    static void cleanUp() throws Exception {
        if (sessionId != null) {
            E2e.shared().suite.api("DELETE", "/sessions/" + sessionId, null);
        }
    }

    @Test
    void twoCheckpointsAndTheAnchorsAreRatedAndTheirGamesReplay() throws Exception {
        KeiseiSuite suite = E2e.shared().suite;
        sessionId = suite.createSession("e2e league", KeiseiSuite.TINY_CONFIG);
        suite.startAndAwaitMetrics(sessionId);
        suite.pauseAndAwait(sessionId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> models().size() >= 1);
        JsonObject first = newest();

        // Train on a little: resume, let it take steps beyond the first checkpoint, pause again (a second checkpoint).
        assertThat(suite.api("POST", "/sessions/" + sessionId + "/resume", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                json(suite.api("GET", "/sessions/" + sessionId, null).body()).get("currentStep").getAsLong()
                        > first.get("step").getAsLong());
        suite.pauseAndAwait(sessionId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                newest().get("step").getAsLong() > first.get("step").getAsLong());
        JsonObject second = newest();
        String a = first.get("id").getAsString();
        String b = second.get("id").getAsString();

        String match = evaluate(suite, b, a);
        String vsRandom = evaluate(suite, a, "random");
        String anchor = evaluate(suite, "baseline:1", "random");
        for (String id : List.of(match, vsRandom, anchor)) {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    List.of("completed", "failed", "cancelled").contains(evaluation(suite, id).get("state").getAsString()));
            JsonObject e = evaluation(suite, id);
            assertThat(e.get("state").getAsString()).as(e.toString()).isEqualTo("completed");
            assertThat(e.get("aWins").getAsInt() + e.get("draws").getAsInt() + e.get("bWins").getAsInt()).isEqualTo(4);
        }

        // Ratings of the session: random anchored at 0, both checkpoints and the baseline fitted with intervals.
        List<JsonObject> ratings = array(suite.api("GET", "/evaluations/ratings?session=" + sessionId, null));
        JsonObject random = find(ratings, "random");
        assertThat(random.get("elo").getAsDouble()).isZero();
        assertThat(random.get("anchor").getAsBoolean()).isTrue();
        for (String player : List.of(a, b, "baseline:1")) {
            JsonObject r = find(ratings, player);
            assertThat(r.get("lower").getAsDouble()).as(player).isLessThan(r.get("elo").getAsDouble());
            assertThat(r.get("upper").getAsDouble()).as(player).isGreaterThan(r.get("elo").getAsDouble());
        }
        assertThat(find(ratings, a).get("games").getAsInt()).isEqualTo(8);
        assertThat(find(ratings, b).get("games").getAsInt()).isEqualTo(4);
        assertThat(find(ratings, b).get("session").getAsString()).isEqualTo(sessionId);

        // The head-to-head of the two checkpoints is their match's score.
        JsonObject h2h = json(suite.api("GET", "/evaluations/head-to-head?session=" + sessionId, null).body());
        JsonObject pair = null;
        for (JsonElement p : h2h.getAsJsonArray("pairs")) {
            JsonObject o = p.getAsJsonObject();
            if (List.of(a, b).contains(o.get("a").getAsString()) && List.of(a, b).contains(o.get("b").getAsString())) {
                pair = o;
            }
        }
        assertThat(pair).as(h2h.toString()).isNotNull();
        assertThat(pair.get("games").getAsInt()).isEqualTo(4);
        JsonObject m = evaluation(suite, match);
        int bWinsAsA = pair.get("a").getAsString().equals(b) ? pair.get("aWins").getAsInt() : pair.get("bWins").getAsInt();
        assertThat(bWinsAsA).isEqualTo(m.get("aWins").getAsInt());

        // Replay: every game with its moves; one game read alone is the same; colours alternate.
        List<JsonObject> games = array(suite.api("GET", "/evaluations/" + match + "/games", null));
        assertThat(games).hasSize(4);
        assertThat(games.get(0).get("black").getAsString()).isEqualTo(b);
        assertThat(games.get(1).get("black").getAsString()).isEqualTo(a);
        for (JsonObject g : games) {
            assertThat(g.getAsJsonArray("moves").size()).isEqualTo(g.get("plies").getAsInt()).isPositive();
            assertThat(g.get("startSfen").getAsString()).isNotBlank();
            assertThat(g.get("reason").getAsString()).isNotBlank();
        }
        JsonObject one = json(suite.api("GET", "/evaluations/" + match + "/games/2", null).body());
        assertThat(one.getAsJsonArray("moves")).isEqualTo(games.get(2).getAsJsonArray("moves"));
        assertThat(suite.api("GET", "/evaluations/" + match + "/games/9", null).statusCode()).isEqualTo(404);
    }

    private static String evaluate(KeiseiSuite suite, String a, String b) throws Exception {
        // Filed under the session (as the Leaderboard's form does), so the anchors' games count in its ratings.
        HttpResponse<String> r = suite.api("POST", "/evaluations", "{\"playerA\":\"" + a + "\",\"playerB\":\"" + b
                + "\",\"games\":4,\"seed\":11,\"session\":\"" + sessionId + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r.body()).get("id").getAsString();
    }

    private static JsonObject evaluation(KeiseiSuite suite, String id) throws Exception {
        return json(suite.api("GET", "/evaluations/" + id, null).body());
    }

    private static JsonObject newest() throws Exception {
        return models().stream().max(Comparator.comparingLong(m -> m.get("step").getAsLong())).orElseThrow();
    }

    private static List<JsonObject> models() throws Exception {
        JsonObject p = json(E2e.shared().suite.api("GET", "/models?session=" + sessionId + "&size=200", null).body());
        List<JsonObject> items = new ArrayList<>();
        p.getAsJsonArray("items").forEach(e -> items.add(e.getAsJsonObject()));
        return items;
    }

    private static JsonObject find(List<JsonObject> ratings, String player) {
        return ratings.stream().filter(r -> r.get("player").getAsString().equals(player)).findFirst()
                .orElseThrow(() -> new AssertionError("no rating of " + player + " in " + ratings));
    }

    private static List<JsonObject> array(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonObject> out = new ArrayList<>();
        JsonParser.parseString(r.body()).getAsJsonArray().forEach(e -> out.add(e.getAsJsonObject()));
        return out;
    }

    private static JsonObject json(String body) {
        return JsonParser.parseString(body).getAsJsonObject();
    }
}
