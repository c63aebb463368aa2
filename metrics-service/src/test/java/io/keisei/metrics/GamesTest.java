package io.keisei.metrics;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.GameState;
import io.keisei.contracts.Streams;
import io.keisei.metrics.service.GameCleanupJob;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * Games from keisei:games through the consumer group into PostgreSQL and out through REST, on real
 * Redis and PostgreSQL: latest state, moves and positions, redelivery, a game id reused after a
 * resume, malformed messages, the per-session limit.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class GamesTest {

    static final String START = "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1";
    static final String AFTER_7G7F = "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2";
    static final String AFTER_3C3D = "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3";
    static final String AFTER_8H2B = "lnsgkgsnl/1r5+B1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/7R1/LNSGKGSNL w B 4";
    static final String AFTER_2G2F = "lnsgkgsnl/1r5b1/ppppppppp/9/9/7P1/PPPPPPP1P/1B5R1/LNSGKGSNL w - 2";

    @Inject
    StreamPublisher publisher;
    @Inject
    RedisDataSource redis;
    @Inject
    GameCleanupJob cleanup;

    @Test
    void aGameIsStoredWithItsMovesAndPositionsAndRedeliveryChangesNothing() {
        String session = "games-" + UUID.randomUUID();
        long t = 1_700_000_000_000L;
        publish(state(session, "selfplay-1", 0, START, null, List.of(), null, t));
        publish(state(session, "selfplay-1", 1, AFTER_7G7F, "7g7f", List.of("7g7f"), null, t + 100));
        GameState ply2 = state(session, "selfplay-1", 2, AFTER_3C3D, "3c3d", List.of("7g7f", "3c3d"), null, t + 200);
        publish(ply2);
        publish(state(session, "selfplay-1", 3, AFTER_8H2B, "8h2b+", List.of("7g7f", "3c3d", "8h2b+"), "black_win:resign", t + 300));
        // A producer retry: the ply-2 state again, after the game ended. It must not roll the game back.
        publish(ply2);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/games/{id}?session={s}", "selfplay-1", session).then().statusCode(200)
                        .body("positions.size()", equalTo(4)));
        given().get("/sessions/{s}/games/{id}", session, "selfplay-1").then().statusCode(200)
                .body("gameId", equalTo("selfplay-1"))
                .body("session", equalTo(session))
                .body("ply", equalTo(3))
                .body("result", equalTo("black_win:resign"))
                .body("sfen", equalTo(AFTER_8H2B))
                .body("lastMove", equalTo("8h2b+"))
                .body("sideToMove", equalTo("white"))
                .body("moves", contains("7g7f", "3c3d", "8h2b+"))
                .body("startedAt", equalTo(Instant.ofEpochMilli(t).toString()))
                .body("updatedAt", equalTo(Instant.ofEpochMilli(t + 300).toString()))
                .body("positions.ply", contains(0, 1, 2, 3))
                .body("positions.sfen", contains(START, AFTER_7G7F, AFTER_3C3D, AFTER_8H2B))
                .body("positions[0].lastMove", nullValue())
                .body("positions[3].lastMove", equalTo("8h2b+"));
    }

    @Test
    void recentGamesAreNewestFirstAndLimited() {
        String session = "recent-" + UUID.randomUUID();
        long t = 1_700_000_000_000L;
        for (int i = 1; i <= 4; i++) {
            publish(state(session, "selfplay-" + i, 0, START, null, List.of(), null, t + i * 1_000));
        }
        publish(state(session, "selfplay-2", 1, AFTER_7G7F, "7g7f", List.of("7g7f"), "draw:max_moves", t + 9_000));
        // Another session's games are not listed.
        publish(state("other-" + UUID.randomUUID(), "selfplay-9", 0, START, null, List.of(), null, t + 10_000));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/games", session).then().statusCode(200)
                        .body("gameId", contains("selfplay-4", "selfplay-3", "selfplay-2", "selfplay-1"))
                        .body("[2].result", equalTo("draw:max_moves")));
        given().get("/sessions/{s}/games?limit=2", session).then().statusCode(200)
                .body("gameId", contains("selfplay-4", "selfplay-3"))
                .body("[0].session", equalTo(session))
                .body("[0].ply", equalTo(0))
                .body("[0].result", nullValue())
                .body("[0].lastMove", nullValue())
                .body("[0].sideToMove", equalTo("black"))
                .body("[0].startedAt", equalTo(Instant.ofEpochMilli(t + 4_000).toString()))
                .body("[0].moves", nullValue());
        for (String bad : List.of("0", "201", "x")) {
            given().get("/sessions/{s}/games?limit=" + bad, session).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("limit"));
        }
        given().get("/sessions/{s}/games", "no-such-session").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void unknownGameIs404AndAGameIdInTwoSessionsNeedsTheSession() {
        given().get("/games/{id}", "no-such-game-" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        String id = "shared-" + UUID.randomUUID();
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        publish(state(a, id, 0, START, null, List.of(), null, 1_000));
        publish(state(b, id, 1, AFTER_7G7F, "7g7f", List.of("7g7f"), null, 2_000));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/games/{id}", id).then().statusCode(409).contentType("application/problem+json"));
        given().get("/games/{id}?session={s}", id, b).then().statusCode(200).body("session", equalTo(b)).body("ply", equalTo(1));
        given().get("/sessions/{s}/games/{id}", a, id).then().statusCode(200).body("ply", equalTo(0));
        given().get("/sessions/{s}/games/{id}", "c", id).then().statusCode(404);
    }

    @Test
    void aGameIdReusedAfterAResumeReplacesTheOldGameAndItsPositions() {
        String session = "reuse-" + UUID.randomUUID();
        publish(state(session, "selfplay-7", 1, AFTER_7G7F, "7g7f", List.of("7g7f"), null, 1_000));
        publish(state(session, "selfplay-7", 2, AFTER_3C3D, "3c3d", List.of("7g7f", "3c3d"), null, 2_000));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/games/{id}", session, "selfplay-7").then().body("ply", equalTo(2)));
        // The session resumed from a checkpoint taken before this game: the trainer numbers it 7 again.
        publish(state(session, "selfplay-7", 1, AFTER_2G2F, "2g2f", List.of("2g2f"), null, 5_000));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/games/{id}", session, "selfplay-7").then().statusCode(200)
                        .body("ply", equalTo(1))
                        .body("moves", contains("2g2f"))
                        .body("positions.sfen", contains(AFTER_2G2F))
                        .body("startedAt", equalTo(Instant.ofEpochMilli(5_000).toString())));
    }

    @Test
    void malformedGameStatesAreDeadLetteredAndTheNextOneIsStored() {
        String session = "bad-games-" + UUID.randomUUID();
        var streams = redis.stream(String.class);
        long deadBefore = streams.xlen(Streams.DEAD_LETTER);
        streams.xadd(Streams.GAMES, Map.of(Streams.PAYLOAD_FIELD, "{\"v\":1,\"session\":"));
        streams.xadd(Streams.GAMES, Map.of(Streams.PAYLOAD_FIELD, "{\"v\":1,\"session\":\"" + session
                + "\",\"ply\":0,\"sfen\":\"" + START + "\",\"sideToMove\":\"black\",\"time\":1}"));
        streams.xadd(Streams.GAMES, Map.of(Streams.PAYLOAD_FIELD, "{\"v\":1,\"session\":\"" + session
                + "\",\"gameId\":\"g\",\"ply\":0,\"sfen\":\"" + START + "\",\"sideToMove\":\"north\",\"time\":1}"));
        streams.xadd(Streams.GAMES, Map.of(Streams.PAYLOAD_FIELD, "{\"v\":2,\"session\":\"" + session
                + "\",\"gameId\":\"g\",\"ply\":0,\"sfen\":\"" + START + "\",\"sideToMove\":\"black\",\"time\":1}"));
        publish(state(session, "selfplay-1", 0, START, null, List.of(), null, 1));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/games", session).then().statusCode(200).body("gameId", contains("selfplay-1")));
        var all = streams.xrange(Streams.DEAD_LETTER, StreamRange.of("-", "+"));
        var ours = all.stream().filter(m -> Streams.GAMES.equals(m.payload().get("stream"))).toList();
        assertThat(streams.xlen(Streams.DEAD_LETTER) - deadBefore).isEqualTo(4);
        assertThat(ours.subList(ours.size() - 4, ours.size()).stream().map(m -> m.payload().get("kind")))
                .containsExactlyInAnyOrder("MALFORMED_JSON", "MISSING_FIELD", "INVALID_VALUE", "UNKNOWN_VERSION");
    }

    @Test
    void theCleanUpKeepsTheNewestGamesOfEachSession() throws Exception {
        String session = "cleanup-" + UUID.randomUUID(); // the test profile keeps 5 per session
        List<GameState> states = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            states.add(state(session, "selfplay-" + i, 1, AFTER_7G7F, "7g7f", List.of("7g7f"), null, 10_000L * i));
        }
        states.forEach(this::publish);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/sessions/{s}/games?limit=200", session).then().body("size()", equalTo(7)));

        assertThat(cleanup.run()).isGreaterThanOrEqualTo(2);
        given().get("/sessions/{s}/games?limit=200", session).then()
                .body("gameId", contains("selfplay-7", "selfplay-6", "selfplay-5", "selfplay-4", "selfplay-3"));
        given().get("/sessions/{s}/games/{id}", session, "selfplay-2").then().statusCode(404);
        assertThat(cleanup.run()).isZero();
    }

    private void publish(GameState g) {
        publisher.publish(Streams.GAMES, g, Streams.GAMES_MAXLEN);
    }

    static GameState state(String session, String gameId, int ply, String sfen, String lastMove, List<String> moves,
                           String result, long time) {
        String side = sfen.split(" ")[1].equals("b") ? "black" : "white";
        return new GameState(GameState.VERSION, session, gameId, ply, sfen, lastMove, side, moves, result, time);
    }
}
