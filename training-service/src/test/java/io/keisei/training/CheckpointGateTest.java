package io.keisei.training;

import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.contracts.api.GatingPolicy;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.service.CheckpointGate;
import io.keisei.training.service.CheckpointRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/**
 * Automatic gating end to end inside training-service, with a real resource-service and real matches of the built-in
 * trainer: a briefly trained session's first checkpoint becomes its best; copies of it registered later are gated
 * against the best one at a time (the newest waiting one next, the others skipped); each gate's decision is the
 * planner's for the games played and is applied to the registry (and announced as checkpoint.promoted); a gate whose
 * end was not applied is applied again at recovery; gating off files nothing.
 *
 * <p>The challengers are copies of the best (the same network), so they score about one half against it. The SPRTs
 * are chosen so that such a score decides within a few four-game batches: elo0 -1000 / elo1 -900 promotes it (every
 * game not lost adds about 0.57 to the LLR; bounds ±ln 3 for alpha = beta = 0.25), elo0 900 / elo1 1000 rejects it.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class CheckpointGateTest {

    static final String PROMOTING = "{\"mode\":\"sprt\",\"games\":4,\"maxGames\":16,\"elo0\":-1000,\"elo1\":-900,"
            + "\"alpha\":0.25,\"beta\":0.25}";
    static final String REJECTING = "{\"mode\":\"sprt\",\"games\":4,\"maxGames\":16,\"elo0\":900,\"elo1\":1000,"
            + "\"alpha\":0.25,\"beta\":0.25}";

    @Inject
    CheckpointRegistry registry;
    @Inject
    CheckpointGate gate;
    @Inject
    RedisDataSource redis;

    @Test
    void checkpointsAreGatedAgainstTheBestOneAtATimeAndTheDecisionsReachTheRegistry() throws Exception {
        String session = given().contentType(ContentType.JSON)
                .body("{\"name\":\"gated\",\"owner\":\"alice\",\"ownerRole\":\"admin\",\"template\":\"quick-cpu\",\"config\":"
                        + CheckpointEvaluationTest.EVALUATED + ",\"gating\":" + PROMOTING + "}")
                .post("/sessions").then().statusCode(201)
                .body("gating.mode", equalTo("sprt")).body("gating.elo1", equalTo(-900.0f))
                .body("gating.priority", equalTo(-10)).extract().path("id");
        given().post("/sessions/{id}/start", session).then().statusCode(200);
        SessionLifecycleTest.awaitState(session, "running", Duration.ofSeconds(60));
        given().post("/sessions/{id}/pause", session).then().statusCode(200);
        SessionLifecycleTest.awaitState(session, "paused", Duration.ofSeconds(60));

        // The first checkpoint becomes the best without a match.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/sessions/{id}", session).path("bestModelId") != null);
        String first = given().get("/sessions/{id}", session).path("latestCheckpointId");
        given().get("/sessions/{id}", session).then().body("bestModelId", equalTo(first));
        given().get("/models/{m}", first).then().statusCode(200).body("best", equalTo(true))
                .body("gate.state", equalTo("promoted")).body("gate.reason", equalTo("first checkpoint of the session"));

        // A new checkpoint is gated against it; two more saved meanwhile wait.
        String a = register(session, first, 1);
        JsonPath gating = model(a);
        assertThat(gating.getString("gate.state")).isEqualTo("running");
        assertThat(gating.getString("gate.against")).isEqualTo(first);
        assertThat(gating.getBoolean("best")).isFalse();
        String firstBatch = gating.getString("gate.evaluation");
        given().get("/evaluations/{id}", firstBatch).then().statusCode(200).body("gate", equalTo(a))
                .body("playerA", equalTo(a)).body("playerB", equalTo(first)).body("games", equalTo(4))
                .body("priority", equalTo(-10)).body("owner", equalTo("alice")).body("session", equalTo(session));
        String b = register(session, first, 2);
        String c = register(session, first, 3);
        assertThat(model(b).getString("gate.state")).isEqualTo("pending");
        assertThat(model(c).getString("gate.state")).isEqualTo("pending");

        // Its gate ends as the planner says for its games; promoted, it is the best and checkpoint.promoted says so.
        JsonPath decidedA = awaitDecided(a);
        assertThat(decidedA.getString("gate.state")).as(decidedA.prettify()).isEqualTo(planned(PROMOTING, decidedA));
        assertThat(decidedA.getString("gate.state")).as(decidedA.prettify()).isEqualTo("promoted");
        assertThat(decidedA.getDouble("gate.llr")).isGreaterThanOrEqualTo(Math.log(3));
        assertThat(decidedA.getString("gate.reason")).contains("accepted H1").contains("against " + first);
        // Exactly one best at any time, the session's: a, unless the gate of c (filed at once, against a) has already
        // promoted c as well.
        String c0 = c;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String bestNow = given().get("/sessions/{id}", session).path("bestModelId");
            assertThat(bestNow).isIn(a, c0);
            given().queryParam("session", session).queryParam("best", true).get("/models").then().statusCode(200)
                    .body("items.id", equalTo(List.of(bestNow))).body("total", equalTo(1));
        });
        assertThat(model(first).getBoolean("best")).isFalse();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(promotions(session)).anySatisfy(e -> {
            assertThat(e.checkpoint().step()).isEqualTo(model(a).getLong("step"));
            assertThat(e.evaluation().gate()).isEqualTo(a);
            assertThat(e.reason()).contains("accepted H1");
        }));

        // Then the newest waiting one is gated (against the new best), and the one between is skipped.
        JsonPath skipped = model(b);
        assertThat(skipped.getString("gate.state")).isEqualTo("skipped");
        assertThat(skipped.getString("gate.reason")).contains(c);
        JsonPath decidedC = awaitDecided(c);
        assertThat(decidedC.getString("gate.against")).isEqualTo(a);
        assertThat(decidedC.getString("gate.state")).as(decidedC.prettify()).isEqualTo(planned(PROMOTING, decidedC));

        // The policy changes at any time; the next gate follows it.
        given().contentType(ContentType.JSON).body(REJECTING).put("/sessions/{id}/gating", session).then().statusCode(200)
                .body("elo0", equalTo(900.0f)).body("maxGames", equalTo(16));
        String best = given().get("/sessions/{id}", session).path("bestModelId");
        String d = register(session, first, 4);
        JsonPath decidedD = awaitDecided(d);
        assertThat(decidedD.getString("gate.state")).as(decidedD.prettify()).isEqualTo("rejected");
        assertThat(decidedD.getString("gate.state")).isEqualTo(planned(REJECTING, decidedD));
        assertThat(decidedD.getString("gate.reason")).contains("accepted H0");
        given().get("/sessions/{id}", session).then().body("bestModelId", equalTo(best));

        // A gate whose evaluation ended but whose end was never applied (the service stopped in between) is decided at
        // recovery, from the games stored.
        QuarkusTransaction.requiringNew().run(() -> {
            CheckpointEntity row = CheckpointEntity.findById(d);
            row.gate = "running";
            row.gateReason = null;
            row.gateDecidedAt = null;
        });
        gate.recover();
        JsonPath recovered = model(d);
        assertThat(recovered.getString("gate.state")).isEqualTo("rejected");
        assertThat(recovered.getInt("gate.wins") + recovered.getInt("gate.draws") + recovered.getInt("gate.losses"))
                .isEqualTo(decidedD.getInt("gate.wins") + decidedD.getInt("gate.draws") + decidedD.getInt("gate.losses"));

        // Gating off: a new checkpoint is not gated.
        given().contentType(ContentType.JSON).body("{\"mode\":\"off\"}").put("/sessions/{id}/gating", session).then()
                .statusCode(200).body("mode", equalTo("off"));
        String e = register(session, first, 5);
        assertThat(model(e).getString("gate.state")).isEqualTo("none");
        given().queryParam("session", session).queryParam("size", 200).get("/evaluations").then().statusCode(200)
                .body("findAll { it.gate == '" + e + "' }.size()", equalTo(0));
    }

    @Test
    void badPoliciesAreRefusedWithFieldErrors() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"bad gating\",\"owner\":\"alice\",\"template\":\"quick-cpu\",\"gating\":"
                        + "{\"mode\":\"always\",\"games\":0,\"maxGames\":0,\"alpha\":0.5,\"beta\":0,\"priority\":5000,\"elo0\":2000}}")
                .post("/sessions").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("gating.mode", "gating.games", "gating.maxGames", "gating.alpha",
                        "gating.beta", "gating.priority", "gating.elo0"));
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"bad gating\",\"owner\":\"alice\",\"template\":\"quick-cpu\",\"gating\":"
                        + "{\"mode\":\"sprt\",\"elo0\":10,\"elo1\":5}}")
                .post("/sessions").then().statusCode(400).body("errors.field", equalTo(List.of("gating.elo1")));

        String session = given().contentType(ContentType.JSON)
                .body("{\"name\":\"ungated\",\"owner\":\"alice\",\"template\":\"quick-cpu\"}")
                .post("/sessions").then().statusCode(201).body("gating.mode", equalTo("off"))
                .body("bestModelId", equalTo(null)).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"mode\":\"sprt\",\"games\":50,\"maxGames\":10}")
                .put("/sessions/{id}/gating", session).then().statusCode(400).body("errors.field", hasItem("maxGames"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"games\"}").put("/sessions/{id}/gating", "no-such-session")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"mode\":\"games\"}").put("/sessions/{id}/gating", session)
                .then().statusCode(200).body("games", equalTo(GatingPolicy.DEFAULT_FIXED_GAMES));
        given().get("/sessions/{id}/gating", session).then().statusCode(200).body("mode", equalTo("games"));
        given().delete("/sessions/{id}", session).then().statusCode(204);
    }

    /** Registers a copy of {@code source}'s file as a new checkpoint of the session, {@code n} steps later. */
    private String register(String session, String source, int n) throws Exception {
        CheckpointEntity from = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.findById(source));
        Path copy = Path.of(from.path).resolveSibling("gate-copy-" + n + ".kshogi");
        Files.copy(Path.of(from.path), copy);
        registry.register(session, 1, new CheckpointInfo(copy.toString(), from.step + n, from.sizeBytes, from.sha256));
        return QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.<CheckpointEntity>find("path",
                copy.toAbsolutePath().normalize().toString()).firstResult().id);
    }

    private static JsonPath model(String id) {
        return given().get("/models/{m}", id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitDecided(String id) {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of("promoted", "rejected", "failed").contains(model(id).getString("gate.state")));
        return model(id);
    }

    /** What the planner decides for the games a model played in its gate. */
    private static String planned(String policyJson, JsonPath model) {
        Map<String, Object> p = JsonPath.from(policyJson).getMap("");
        GatingPolicy policy = new GatingPolicy((String) p.get("mode"), (Integer) p.get("games"), (Integer) p.get("maxGames"),
                ((Number) p.get("elo0")).doubleValue(), ((Number) p.get("elo1")).doubleValue(),
                ((Number) p.get("alpha")).doubleValue(), ((Number) p.get("beta")).doubleValue(), null);
        GatePlan plan = GatePlanner.plan(policy, model.getString("gate.against"), model.getString("id"),
                model.getInt("gate.wins"), model.getInt("gate.draws"), model.getInt("gate.losses"), false);
        return switch (plan.action()) {
            case PROMOTE -> "promoted";
            case REJECT -> "rejected";
            default -> "undecided: " + plan;
        };
    }

    private List<LifecycleEvent> promotions(String session) {
        return redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), LifecycleEvent.class))
                .filter(e -> e.type() == EventType.CHECKPOINT_PROMOTED && session.equals(e.session())).toList();
    }
}
