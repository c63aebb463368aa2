package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.EvaluationInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.gateway.hub.LiveState;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.WsClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluations on the live hub: evaluation.* and checkpoint.promoted reach the {@code evaluations} topic, the
 * evaluation's own topic and their session's topic, never another session's or {@code sessions}; an evaluation of no
 * session (whose events carry its id where a session would be) makes no session anywhere in the hub; a reconnect
 * with a cursor replays them; an evaluation's games reach its topic.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class HubEvaluationEventsTest {

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    StreamPublisher publisher;

    @Inject
    LiveState live;

    URI ws() {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    private String publish(LifecycleEvent e) {
        return publisher.publish(Streams.EVENTS, e, Streams.EVENTS_MAXLEN);
    }

    private static EvaluationInfo info(String id, String session, String state, int aWins) {
        return new EvaluationInfo(id, session, "model-a", "random", 4, state, aWins, 0, 0, null);
    }

    private static LifecycleEvent evaluation(EventType type, String id, String session, String state, int aWins) {
        return LifecycleEvent.evaluation(type, "training-service", null, info(id, session, state, aWins));
    }

    private static JsonNode await(WsClient c, String type, String topic) throws InterruptedException {
        return c.next(m -> m.path("type").asText().equals(type) && m.path("topic").asText().equals(topic), Duration.ofSeconds(5));
    }

    private static void subscribeAll(WsClient c, String... topics) throws InterruptedException {
        for (String t : topics) {
            c.subscribe(t, null);
            assertThat(c.next(m -> m.path("type").asText().equals("subscribed") && m.path("topic").asText().equals(t),
                    Duration.ofSeconds(5))).as("subscribed to %s", t).isNotNull();
        }
    }

    @Test
    void anEvaluationsEventsReachTheEvaluationsTopicItsOwnAndItsSessionsOnly() throws Exception {
        String session = "es-" + UUID.randomUUID();
        String other = "eo-" + UUID.randomUUID();
        String id = "eval-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            subscribeAll(c, "evaluations", "evaluation:" + id, "session:" + session, "session:" + other, "sessions");
            publish(evaluation(EventType.EVALUATION_STARTED, id, session, "running", 0));
            publish(LifecycleEvent.checkpointPromoted(session, "training-service",
                    new CheckpointInfo("/c/" + id + ".ckpt", 500, 1, "b".repeat(64)), info(id, session, "completed", 3), "won 3-0"));
            // A sentinel after them on the other session's topic: once it is here, anything of theirs would be too.
            publish(LifecycleEvent.of(EventType.SESSION_STARTED, other, 1, "training-service", "running", null));

            List<JsonNode> got = new ArrayList<>();
            JsonNode m;
            while ((m = c.next(x -> x.has("topic") && x.path("type").asText().endsWith("_event"), Duration.ofSeconds(5))) != null) {
                got.add(m);
                if (m.path("topic").asText().equals("session:" + other)) {
                    break;
                }
            }
            assertThat(m).as("the sentinel").isNotNull();
            List<String> topics = got.stream().map(x -> x.path("topic").asText() + " " + x.path("type").asText() + " "
                    + x.path("data").path("type").asText()).toList();
            assertThat(topics).containsExactlyInAnyOrder(
                    "evaluations evaluation_event evaluation.started",
                    "evaluation:" + id + " evaluation_event evaluation.started",
                    "session:" + session + " evaluation_event evaluation.started",
                    "evaluations evaluation_event checkpoint.promoted",
                    "evaluation:" + id + " evaluation_event checkpoint.promoted",
                    "session:" + session + " evaluation_event checkpoint.promoted",
                    // The sentinel, on both of its topics; sessions gets no evaluation event.
                    "sessions session_event session.started",
                    "session:" + other + " session_event session.started");
            JsonNode started = got.get(0);
            assertThat(started.path("session").asText()).isEqualTo(session);
            assertThat(started.path("id").asText()).matches("\\d+-\\d+");
            assertThat(started.path("data").path("evaluation").path("state").asText()).isEqualTo("running");
            // An evaluation's event is no session state: the session's live view has none of it.
            assertThat(live.view(session)).isEmpty();
        }
    }

    @Test
    void anEvaluationOfNoSessionMakesNoSessionAnywhere() throws Exception {
        String id = "eval-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            subscribeAll(c, "evaluations", "evaluation:" + id, "sessions");
            publish(evaluation(EventType.EVALUATION_QUEUED, id, null, "queued", 0));
            publish(LifecycleEvent.allocation(EventType.ALLOCATION_QUEUED, id, "resource-service",
                    new AllocationInfo("alloc-" + id, "local", 1000, 1024, List.of(), 1, "waiting for CPU")));

            // Four deliveries, in whatever order the topics get them.
            java.util.Map<String, JsonNode> got = new java.util.HashMap<>();
            while (got.size() < 4) {
                JsonNode m = c.next(x -> x.path("type").asText().endsWith("_event"), Duration.ofSeconds(5));
                assertThat(m).as("deliveries so far: %s", got.keySet()).isNotNull();
                if (m.path("data").path("session").asText().equals(id)) {
                    got.put(m.path("topic").asText() + " " + m.path("type").asText(), m);
                }
            }
            assertThat(got).containsOnlyKeys("evaluations evaluation_event", "evaluation:" + id + " evaluation_event",
                    "evaluation:" + id + " allocation_event", "sessions allocation_event");
            JsonNode queued = got.get("evaluations evaluation_event");
            assertThat(queued.path("data").path("session").asText()).as("the wire keeps the evaluation id").isEqualTo(id);
            assertThat(queued.has("session")).as("the envelope names no session").isFalse();
            // Its allocation: on sessions (where the queue's readers look) and on its own topic, as no session.
            JsonNode alloc = got.get("evaluation:" + id + " allocation_event");
            assertThat(alloc.path("data").path("allocation").path("reason").asText()).isEqualTo("waiting for CPU");
            assertThat(got.get("sessions allocation_event").has("session")).isFalse();
        }
        assertThat(live.view(id)).as("no live session state for an evaluation id").isEmpty();
    }

    @Test
    void aReconnectWithACursorReplaysTheEvaluationEventsItMissed() throws Exception {
        String session = "er-" + UUID.randomUUID();
        String id = "eval-" + UUID.randomUUID();
        String cursor;
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            subscribeAll(c, "evaluations");
            publish(evaluation(EventType.EVALUATION_QUEUED, id, session, "queued", 0));
            cursor = await(c, "evaluation_event", "evaluations").path("id").asText();
        }
        // While disconnected: it starts, a session event happens, it completes.
        publish(evaluation(EventType.EVALUATION_STARTED, id, session, "running", 0));
        publish(LifecycleEvent.of(EventType.SESSION_PAUSED, session, 1, "training-service", "paused", null));
        publish(evaluation(EventType.EVALUATION_COMPLETED, id, session, "completed", 4));
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            c.subscribe("evaluations", cursor);
            JsonNode ack = c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
            List<JsonNode> replayed = new ArrayList<>();
            for (int i = 0; i < ack.path("data").path("replayed").asInt(); i++) {
                replayed.add(c.next(m -> m.has("topic") && !m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5)));
            }
            // Others' evaluations may be in the streams too; this one's are the two it missed, in order.
            List<String> mine = replayed.stream().filter(m -> m.path("data").path("evaluation").path("id").asText().equals(id))
                    .map(m -> m.path("type").asText() + " " + m.path("data").path("type").asText()).toList();
            assertThat(mine).containsExactly("evaluation_event evaluation.started", "evaluation_event evaluation.completed");
            assertThat(replayed).allSatisfy(m -> assertThat(m.path("type").asText()).isEqualTo("evaluation_event"));
            // Then live events follow on the same connection.
            publish(evaluation(EventType.EVALUATION_FAILED, "eval-" + UUID.randomUUID(), null, "failed", 0));
            assertThat(await(c, "evaluation_event", "evaluations")).isNotNull();
        }
        // The session's topic replays them with its own events; sessions replays the session's event only.
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            c.subscribe("session:" + session, cursor);
            JsonNode ack = c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(10));
            assertThat(ack.path("data").path("replayed").asInt()).isEqualTo(3);
            List<String> types = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode m = c.next(x -> x.has("topic") && !x.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
                types.add(m.path("type").asText() + " " + m.path("data").path("type").asText());
            }
            assertThat(types).containsExactly("evaluation_event evaluation.started", "session_event session.paused",
                    "evaluation_event evaluation.completed");
        }
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            c.subscribe("sessions", cursor);
            JsonNode ack = c.next(m -> m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5));
            List<JsonNode> replayed = new ArrayList<>();
            for (int i = 0; i < ack.path("data").path("replayed").asInt(); i++) {
                replayed.add(c.next(m -> m.has("topic") && !m.path("type").asText().equals("subscribed"), Duration.ofSeconds(5)));
            }
            assertThat(replayed).noneMatch(m -> m.path("type").asText().equals("evaluation_event"));
            assertThat(replayed).anyMatch(m -> m.path("session").asText().equals(session));
        }
    }

    @Test
    void anEvaluationsGamesReachItsTopicAndItsLastGameComesBeforeItsEnd() throws Exception {
        String session = "eg-" + UUID.randomUUID();
        String id = "eval-" + UUID.randomUUID();
        try (WsClient c = WsClient.connectAndAuth(ws(), HubSocketTest.ADMIN)) {
            subscribeAll(c, "evaluation:" + id);
            publisher.publish(Streams.GAMES, new GameState(GameState.VERSION, session, "eval:" + id + ":0", 1,
                    "lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2", "7g7f", "white", List.of("7g7f"), null,
                    System.currentTimeMillis()), Streams.GAMES_MAXLEN);
            JsonNode game = await(c, "game_state", "evaluation:" + id);
            assertThat(game).isNotNull();
            assertThat(game.path("data").path("gameId").asText()).isEqualTo("eval:" + id + ":0");
            assertThat(game.path("session").asText()).isEqualTo(session);
            // A final position published just before the end: delivered before the evaluation.completed event.
            publisher.publish(Streams.GAMES, new GameState(GameState.VERSION, session, "eval:" + id + ":1", 2,
                    "lnsgkgsnl/1r5b1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL b - 3", "3c3d", "black",
                    List.of("7g7f", "3c3d"), "draw:max_moves", System.currentTimeMillis()), Streams.GAMES_MAXLEN);
            publish(evaluation(EventType.EVALUATION_COMPLETED, id, session, "completed", 1));
            List<String> order = new ArrayList<>();
            JsonNode m;
            while ((m = c.next(x -> x.path("topic").asText().equals("evaluation:" + id), Duration.ofSeconds(5))) != null) {
                order.add(m.path("type").asText() + (m.path("type").asText().equals("game_state") ? " " + m.path("data").path("ply").asInt() : ""));
                if (m.path("type").asText().equals("evaluation_event")) {
                    break;
                }
            }
            assertThat(order).containsExactly("game_state 2", "evaluation_event");
        }
    }
}
